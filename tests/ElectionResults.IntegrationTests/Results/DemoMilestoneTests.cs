using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Results;

/// <summary>
/// The milestones of the demo's real elections, checked against a recount of their timelines in cursor order: 2017's
/// hung parliament (no majority, everybody short of 326 in the end), and the majorities of 2019 (Con) and 2024 (Lab).
/// </summary>
public sealed class DemoMilestoneTests(DemoApiFixture demo) : IClassFixture<DemoApiFixture>
{
    private HttpClient Client => demo.Api.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record EntryDto(long Cursor, string Code, string Status, WinnerDto? Winner);

    private sealed record TimelineDto(int Seats, int MajorityLine, List<EntryDto> Entries);

    private sealed record Step(long Cursor, IReadOnlyDictionary<string, int> Seats, int Open)
    {
        public int Of(string party) => Seats.GetValueOrDefault(party);
    }

    private async Task<List<MilestoneDto>> MilestonesAsync(string election) =>
        (await (await Client.GetAsync($"/v1/elections/{election}/changes?since=0", Ct)).ReadAsync<MilestoneFeedDto>()).Milestones;

    /// <summary>Every revision of the timeline in cursor order, with each party's seats and the open seats right after it.</summary>
    private async Task<List<Step>> RecountAsync(string election)
    {
        var timeline = await (await Client.GetAsync($"/v1/elections/{election}/timeline", Ct)).ReadAsync<TimelineDto>();
        Assert.Equal((650, 326), (timeline.Seats, timeline.MajorityLine));
        var holders = new Dictionary<string, string?>(StringComparer.Ordinal);
        var steps = new List<Step>();
        foreach (var entry in timeline.Entries.OrderBy(e => e.Cursor))
        {
            holders[entry.Code] = entry.Status is "declared" or "uncontested" or "winnerKnown" ? entry.Winner?.Party : null;
            var seats = holders.Values.OfType<string>().GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            steps.Add(new Step(entry.Cursor, seats, 650 - seats.Values.Sum()));
        }

        return steps;
    }

    [Fact]
    public async Task In_2017_nobody_reaches_326_and_every_party_with_a_seat_ends_unable_to_reach_it()
    {
        var milestones = await MilestonesAsync("ge2017");
        var steps = await RecountAsync("ge2017");

        Assert.DoesNotContain(milestones, m => m.Kind == "majority");
        Assert.Equal(milestones.Select(m => m.Cursor).Order(), milestones.Select(m => m.Cursor));
        Assert.All(milestones, m => Assert.Equal((326, false), (m.MajorityLine, m.IsTest)));

        // As the tally ends: every party with a seat is `cannotReach`, and its last milestone says so.
        var tally = await (await Client.GetAsync("/v1/elections/ge2017/tally", Ct)).ReadAsync<TallyDto>();
        var withSeats = tally.Parties.Where(p => p.Seats > 0).ToArray();
        Assert.Contains(withSeats, p => p.Party == "Con");
        Assert.All(withSeats, p =>
        {
            Assert.Equal("cannotReach", p.Majority);
            Assert.Equal("cannotReach", milestones.Last(m => m.Party == p.Party).Kind);
        });
        Assert.Equal(withSeats.Select(p => p.Party).Order(StringComparer.Ordinal), milestones.Select(m => m.Party).Distinct().Order(StringComparer.Ordinal));

        // The Conservatives and Labour fall short at the first revision after which their seats + the open seats are below 326.
        foreach (var party in new[] { "Con", "Lab" })
        {
            var milestone = Assert.Single(milestones, m => m.Party == party);
            var first = steps.First(s => s.Of(party) + s.Open < 326);
            Assert.Equal((first.Cursor, first.Of(party), first.Open), (milestone.Cursor, milestone.Seats, milestone.Open));
            Assert.Equal(325, milestone.Seats + milestone.Open);
            Assert.Equal("canReach", milestone.Previous);
            Assert.Equal("Conservative", milestones.First(m => m.Party == "Con").PartyName);
        }
    }

    [Theory]
    [InlineData("ge2019", "Con", "Lab")]
    [InlineData("ge2024", "Lab", "Con")]
    public async Task A_majority_is_one_milestone_at_the_winners_326th_seat(string election, string winner, string runnerUp)
    {
        var milestones = await MilestonesAsync(election);
        var steps = await RecountAsync(election);

        var majority = Assert.Single(milestones, m => m.Kind == "majority");
        var first = steps.First(s => s.Of(winner) >= 326);
        Assert.Equal((winner, first.Cursor, 326, first.Open, "canReach"), (majority.Party, majority.Cursor, majority.Seats, majority.Open, majority.Previous));
        Assert.Equal(steps.Single(s => s.Cursor == majority.Cursor).Open, majority.Open);
        // The runner-up cannot reach the line at or before that moment, and never can again.
        var shortOf = Assert.Single(milestones, m => m.Party == runnerUp);
        Assert.Equal("cannotReach", shortOf.Kind);
        Assert.True(shortOf.Cursor <= majority.Cursor);
    }
}
