using System.Globalization;
using System.Text.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Night;

/// <summary>
/// A five-seat rehearsal (majority line 3) declared until the Conservatives clinch it, then corrected: the milestones in
/// the change feed and as `milestone` events of the stream, resumed from their ids.
/// </summary>
public sealed class MilestoneFeedTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    private async Task<MilestoneFeedDto> MilestonesAsync(long since) =>
        await (await api.Client.GetAsync($"/v1/elections/{NightDesk.Election}/changes?since={since}", Ct)).ReadAsync<MilestoneFeedDto>();

    private async Task<(HttpResponseMessage Response, StreamReader Reader)> OpenStreamAsync(long? lastEventId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/elections/{NightDesk.Election}/events");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }

        var response = await api.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync(ct)));
    }

    private static async Task<List<SseEvent>> EventsAsync(StreamReader reader, int count, CancellationToken ct)
    {
        var events = new List<SseEvent>();
        while (events.Count < count)
        {
            events.Add(await ServerSentEvents.NextAsync(reader, ct));
        }

        return events;
    }

    [Fact]
    public async Task A_majority_clinched_is_one_milestone_in_the_feed_and_one_event_with_its_cursor_and_a_correction_undoes_it()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var desk = new NightDesk(api);
        await desk.SetUpAsync();
        var seats = new List<DeskSeat>();
        for (var n = 1; n <= 5; n++)
        {
            seats.Add(await desk.SeatAsync($"E9300000{n}", $"Milestone seat {n}"));
        }

        var start = (await MilestonesAsync(0)).Cursor;
        var (stream, reader) = await OpenStreamAsync(start, timeout.Token);
        using var streamResponse = stream;
        using var streamReader = reader;

        // Con, Con, Lab: nobody has 3 yet, and Labour's 1 + 2 open could still make 3.
        var cursors = new List<long>();
        foreach (var (seat, conWins) in new[] { (seats[0], true), (seats[1], true), (seats[2], false) })
        {
            await desk.SubmitAsync(seat, conWins ? NightDesk.Declared(seat, 20000, 15000, 1000) : NightDesk.Declared(seat, 15000, 20000, 1000));
            var feed = await MilestonesAsync(cursors.LastOrDefault(start));
            Assert.Empty(feed.Milestones);
            cursors.Add(feed.Cursor);
        }

        // The fourth seat gives the Conservatives 3 of 5 (line 3), and leaves Labour 1 + 1 open: short of it.
        await desk.SubmitAsync(seats[3], NightDesk.Declared(seats[3], 20000, 15000, 1000, declaredAt: "2017-06-09T03:30:00+01:00"));
        var clinched = await MilestonesAsync(cursors[^1]);
        var at = clinched.Cursor;
        Assert.Equal(
            [
                ("Con", "Conservative", "majority", "canReach", 3, 1, 3),
                ("Lab", "Labour", "cannotReach", "canReach", 1, 1, 3),
            ],
            clinched.Milestones.Select(m => (m.Party, m.PartyName, m.Kind, m.Previous, m.Seats, m.Open, m.MajorityLine)));
        Assert.All(clinched.Milestones, m =>
        {
            Assert.Equal(at, m.Cursor);
            Assert.Equal(("E93000004", "Milestone seat 4", true), (m.Code, m.Name, m.IsTest));
            Assert.Equal(DateTimeOffset.Parse("2017-06-09T02:30:00Z", CultureInfo.InvariantCulture), m.DeclaredAt);
        });

        // The stream: the three seats, then the fourth seat's constituency event and its two milestones, all with its id.
        var streamed = await EventsAsync(reader, 6, timeout.Token);
        Assert.Equal(
            [
                (cursors[0], "constituency"), (cursors[1], "constituency"), (cursors[2], "constituency"),
                (at, "constituency"), (at, "milestone"), (at, "milestone"),
            ],
            streamed.Select(e => (e.Cursor(), e.Event)));
        Assert.Equal(clinched.Milestones, streamed.Skip(4).Select(e => e.Milestone()));

        // The feed lists the majority once, however it is asked.
        Assert.Single((await MilestonesAsync(0)).Milestones, m => m.Kind == "majority");
        Assert.Single((await MilestonesAsync(at - 1)).Milestones, m => m.Kind == "majority");
        Assert.Empty((await MilestonesAsync(at)).Milestones);

        // A correction gives the fourth seat to Labour: Con 2, Lab 2, 1 open: both can reach 3 again.
        await desk.SubmitAsync(seats[3], NightDesk.Declared(seats[3], 15000, 20000, 1000, reason: "Bundles swapped"), withIfMatch: true);
        var corrected = await MilestonesAsync(at);
        var undone = corrected.Cursor;
        Assert.Equal(
            [(undone, "Con", "canReach", "majority", 2, 1), (undone, "Lab", "canReach", "cannotReach", 2, 1)],
            corrected.Milestones.Select(m => (m.Cursor, m.Party, m.Kind, m.Previous, m.Seats, m.Open)));

        // The open stream goes on with it, and a stream resumed from the majority's id does not repeat it.
        Assert.Equal(
            [(undone, "constituency"), (undone, "milestone"), (undone, "milestone")],
            (await EventsAsync(reader, 3, timeout.Token)).Select(e => (e.Cursor(), e.Event)));

        var (resumedFromMajority, fromMajority) = await OpenStreamAsync(at, timeout.Token);
        using (resumedFromMajority)
        using (fromMajority)
        {
            var events = await EventsAsync(fromMajority, 3, timeout.Token);
            Assert.Equal([(undone, "constituency"), (undone, "milestone"), (undone, "milestone")], events.Select(e => (e.Cursor(), e.Event)));
            Assert.Equal(corrected.Milestones, events.Skip(1).Select(e => e.Milestone()));
        }

        // Resumed from just before it, the stream has the majority (whose seat has changed since: no constituency event of
        // that cursor), then the correction: nothing lost, in cursor order.
        var (resumedBefore, before) = await OpenStreamAsync(cursors[^1], timeout.Token);
        using (resumedBefore)
        using (before)
        {
            var events = await EventsAsync(before, 5, timeout.Token);
            Assert.Equal(
                [(at, "milestone"), (at, "milestone"), (undone, "constituency"), (undone, "milestone"), (undone, "milestone")],
                events.Select(e => (e.Cursor(), e.Event)));
            Assert.Equal(("Con", "majority"), (events[0].Milestone().Party, events[0].Milestone().Kind));
        }

        // The fifth seat for the Conservatives clinches it again: a new milestone, the first one still listed as it was.
        await desk.SubmitAsync(seats[4], NightDesk.Declared(seats[4], 20000, 15000, 1000));
        var all = await MilestonesAsync(0);
        Assert.Equal(
            [(at, "Con", "majority"), (at, "Lab", "cannotReach"), (undone, "Con", "canReach"), (undone, "Lab", "canReach"),
             (all.Cursor, "Con", "majority"), (all.Cursor, "Lab", "cannotReach")],
            all.Milestones.Select(m => (m.Cursor, m.Party, m.Kind)));
        Assert.Equal(5, (await desk.TallyAsync()).Declared);
    }
}

internal static class MilestoneEvents
{
    /// <summary>The event's id as a change-feed cursor.</summary>
    public static long Cursor(this SseEvent e) => long.Parse(e.Id, CultureInfo.InvariantCulture);

    /// <summary>The milestone a <c>milestone</c> event carries.</summary>
    public static MilestoneDto Milestone(this SseEvent e) => JsonSerializer.Deserialize<MilestoneDto>(e.Data, JsonSerializerOptions.Web)!;
}
