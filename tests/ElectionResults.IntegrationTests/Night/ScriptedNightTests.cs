using System.Net;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Night;

/// <summary>
/// A short night in a test election, played through HTTP: a call, a recount, a tie by lot, a postponed poll, a retraction
/// and a correction. After each step the tally and the change-feed items are what a results desk and a graphics system expect.
/// </summary>
public sealed class ScriptedNightTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_night_with_every_state()
    {
        var desk = new NightDesk(api);
        await desk.SetUpAsync();
        var a = await desk.SeatAsync("E90000001", "Ashfield Test");
        var b = await desk.SeatAsync("E90000002", "Bolsover Test");
        var c = await desk.SeatAsync("E90000003", "Corby Test");
        var d = await desk.SeatAsync("E90000004", "Thirsk Test");
        var e = await desk.SeatAsync("E90000005", "Mansfield Test");

        var tally = await desk.TallyAsync("patch");
        Assert.Equal((5, 0, 5), (tally.Seats, tally.Declared, tally.Remaining));
        var cursor = (await desk.FeedAsync(0)).Feed.Cursor;

        // 1. A call: Ashfield's winner is known before the figures.
        var called = await desk.SubmitAsync(a, new { status = "winnerKnown", winnerCandidateId = a.Con, declaredAt = "2017-06-09T01:30:00+01:00", source = "Returning officer's nod" });
        Assert.Equal(("winnerKnown", "Con gain from Lab", true, (long?)null), (called.Status, called.Result, called.Gain, called.ValidVotes));
        Assert.Equal(new WinnerDto("Ann Con", "Con"), called.Winner);
        Assert.All(called.Candidates, candidate => Assert.Null(candidate.Votes));
        Assert.Equal(["Ann Con"], called.Candidates.Where(x => x.Elected).Select(x => x.Name));
        tally = await desk.TallyAsync("patch");
        Assert.Equal((0, 1, 4), (tally.Declared, tally.WinnerKnown, tally.Remaining));
        Assert.Equal((1, 1, 0, 0L, (decimal?)null), (tally.Party("Con")!.Seats, tally.Party("Con")!.Gains, tally.Party("Con")!.Losses, tally.Party("Con")!.Votes, tally.Party("Con")!.Share));
        Assert.Equal((0, 1, -1), (tally.Party("Lab")!.Seats, tally.Party("Lab")!.Losses, tally.Party("Lab")!.Net));
        var item = await NextItemAsync("winnerKnown");
        Assert.Equal(("Ashfield Test", "Con gain from Lab", (PreviousDto?)null, (string?)null), (item.Name, item.Result, item.Previous, item.Reason));
        Assert.Equal(["patch"], item.Areas);

        // 2. The figures follow the call: no If-Match, no reason.
        var declared = await desk.SubmitAsync(a, NightDesk.Declared(a, 21000, 19000, 2000));
        Assert.Equal(("declared", 2, 2000L, false), (declared.Status, declared.Revision, declared.Majority, declared.Corrected));
        tally = await desk.TallyAsync("patch");
        Assert.Equal((1, 0, 4), (tally.Declared, tally.WinnerKnown, tally.Remaining));
        Assert.Equal((1, 21000L, 50m), (tally.Party("Con")!.Seats, tally.Party("Con")!.Votes, tally.Party("Con")!.Share)); // 21,000 / 42,000
        item = await NextItemAsync("declared");
        Assert.Equal(new PreviousDto("winnerKnown", new WinnerDto("Ann Con", "Con"), "Con gain from Lab"), item.Previous);

        // 3. A recount at Bolsover: declared, then recounted twice, then declared again.
        await desk.SubmitAsync(b, NightDesk.Declared(b, 20400, 20500, 100));
        await NextItemAsync("declared");
        var recount = await desk.SubmitAsync(b, new { status = "recount", source = "Returning officer", reason = "Con asked for a recount" }, withIfMatch: true);
        Assert.Equal(("recount", 1, (string?)null, (WinnerDto?)null), (recount.Status, recount.RecountNumber, recount.Result, recount.Winner));
        tally = await desk.TallyAsync("patch");
        Assert.Equal((1, 1, 4), (tally.Declared, tally.InRecount, tally.Remaining));
        item = await NextItemAsync("recount");
        Assert.Equal(("Con asked for a recount", new PreviousDto("declared", new WinnerDto("Bob Lab", "Lab"), "Lab hold")), (item.Reason, item.Previous));
        var second = await desk.SubmitAsync(b, new { status = "recount", source = "Returning officer", reason = "Bundles checked again" }, withIfMatch: true);
        Assert.Equal(2, second.RecountNumber);
        item = await NextItemAsync("recount");
        Assert.Equal("recount", item.Previous?.Status);
        var afterRecount = await desk.SubmitAsync(b, NightDesk.Declared(b, 20440, 20460, 100, reason: "Result after the second recount"), withIfMatch: true);
        Assert.Equal(("declared", (int?)null, "Lab hold", 20L), (afterRecount.Status, afterRecount.RecountNumber, afterRecount.Result, afterRecount.Majority));
        tally = await desk.TallyAsync("patch");
        Assert.Equal((2, 0, 3), (tally.Declared, tally.InRecount, tally.Remaining));
        item = await NextItemAsync("declared");
        Assert.Equal("recount", item.Previous?.Status);
        Assert.Equal([1, 2], (await desk.RevisionsAsync(b)).Revisions.Where(r => r.Status == "recount").Select(r => r.RecountNumber!.Value));

        // 4. A tie at Corby: undecided until the lot is drawn, then corrected with the lot winner.
        var tie = await desk.SubmitAsync(c, NightDesk.Declared(c, 18000, 18000, 4000));
        Assert.Equal(("Tie between Con and Lab", (WinnerDto?)null, false), (tie.Result, tie.Winner, tie.DecidedByLot));
        tally = await desk.TallyAsync("patch");
        Assert.Equal((3, 1), (tally.Declared, tally.Undecided));
        await NextItemAsync("declared");
        var notTied = await desk.PostAsync(c, NightDesk.Declared(c, 18000, 18000, 4000, reason: "Lot drawn", lot: c.LD), (await desk.ReadAsync(c)).ETag);
        Assert.Equal(HttpStatusCode.BadRequest, notTied.StatusCode);
        Assert.Contains("lotWinnerCandidateId", (await notTied.ReadAsync<ProblemDto>()).Errors!.Keys);
        var drawn = await desk.SubmitAsync(c, NightDesk.Declared(c, 18000, 18000, 4000, reason: "Lot drawn by the returning officer", lot: c.Lab), withIfMatch: true);
        Assert.Equal((true, 0L, "Lab hold", "Bob Lab"), (drawn.DecidedByLot, drawn.Majority, drawn.Result, drawn.Winner?.Name));
        tally = await desk.TallyAsync("patch");
        Assert.Equal((3, 0, 2), (tally.Declared, tally.Undecided, tally.Party("Lab")!.Seats));
        item = await NextItemAsync("corrected");
        Assert.Equal(new PreviousDto("declared", null, "Tie between Con and Lab"), item.Previous);
        Assert.Equal(("Lab hold", "Lot drawn by the returning officer"), (item.Result, item.Reason));

        // 5. A postponed poll at Thirsk: neither declared nor remaining.
        var postponed = await desk.SubmitAsync(d, new { status = "postponed", source = "Returning officer", reason = "A candidate died; the poll is countermanded" });
        Assert.Equal(("postponed", "A candidate died; the poll is countermanded"), (postponed.Status, postponed.Reason));
        tally = await desk.TallyAsync("patch");
        Assert.Equal((3, 1, 1), (tally.Declared, tally.Postponed, tally.Remaining));
        item = await NextItemAsync("postponed");
        Assert.Equal("A candidate died; the poll is countermanded", item.Reason);

        // 6. A retraction at Ashfield: the seat goes back to not declared, history keeps everything.
        var withoutIfMatch = await desk.PostAsync(a, new { status = "notDeclared", source = "Desk", reason = "Declared by mistake" });
        Assert.Equal(HttpStatusCode.Conflict, withoutIfMatch.StatusCode);
        var retracted = await desk.SubmitAsync(a, new { status = "notDeclared", source = "Desk", reason = "Declared by mistake" }, withIfMatch: true);
        Assert.Equal(("notDeclared", (WinnerDto?)null, (string?)null, 3), (retracted.Status, retracted.Winner, retracted.Result, retracted.Revision));
        tally = await desk.TallyAsync("patch");
        Assert.Equal((2, 2, 0), (tally.Declared, tally.Remaining, tally.Party("Con")?.Seats ?? 0));
        item = await NextItemAsync("retracted");
        Assert.Equal(new PreviousDto("declared", new WinnerDto("Ann Con", "Con"), "Con gain from Lab"), item.Previous);
        Assert.Equal(["winnerKnown", "declared", "retracted"], (await desk.RevisionsAsync(a)).Revisions.Select(r => r.Kind));

        // 7. A Mansfield-style correction: the wrong winner announced, then put right.
        var wrong = await desk.SubmitAsync(e, NightDesk.Declared(e, 22335, 23392, 697));
        Assert.Equal("Lab hold", wrong.Result);
        await NextItemAsync("declared");
        var right = await desk.SubmitAsync(e, NightDesk.Declared(e, 23392, 22335, 697, reason: "Wrong winner announced: the Con and Lab votes were swapped"), withIfMatch: true);
        Assert.Equal(("Con gain from Lab", true, "Wrong winner announced: the Con and Lab votes were swapped"), (right.Result, right.Corrected, right.Reason));
        var (feed, json) = await desk.FeedAsync(cursor);
        item = Assert.Single(feed.Changes);
        Assert.Equal(("corrected", "Mansfield Test", "Con gain from Lab"), (item.Kind, item.Name, item.Result));
        Assert.Equal(new PreviousDto("declared", new WinnerDto("Bob Lab", "Lab"), "Lab hold"), item.Previous);
        Assert.Equal(["patch"], item.Areas);
        TestContext.Current.TestOutputHelper?.WriteLine(json);
        // All a graphics system needs for the strap, from the item alone:
        Assert.Equal("CORRECTION: Mansfield Test, Con gain from Lab (was Lab hold)", $"CORRECTION: {item.Name}, {item.Result} (was {item.Previous!.Result})");

        tally = await desk.TallyAsync("patch");
        Assert.Equal((5, 3, 0, 0, 0, 1, 1), (tally.Seats, tally.Declared, tally.WinnerKnown, tally.Undecided, tally.InRecount, tally.Postponed, tally.Remaining));
        Assert.Equal((1, 1, 0), (tally.Party("Con")!.Seats, tally.Party("Con")!.Gains, tally.Party("Con")!.Losses));
        Assert.Equal((2, 0, 1, -1), (tally.Party("Lab")!.Seats, tally.Party("Lab")!.Gains, tally.Party("Lab")!.Losses, tally.Party("Lab")!.Net));

        // Every seat appears in the feed once, as it stands now.
        var all = (await desk.FeedAsync(0)).Feed;
        Assert.Equal(
            [("E90000002", "declared"), ("E90000003", "corrected"), ("E90000004", "postponed"), ("E90000001", "retracted"), ("E90000005", "corrected")],
            all.Changes.Select(x => (x.Code, x.Kind)));

        async Task<ChangeItemDto> NextItemAsync(string kind)
        {
            var (next, _) = await desk.FeedAsync(cursor);
            var only = Assert.Single(next.Changes);
            Assert.Equal(kind, only.Kind);
            Assert.Equal(next.Cursor, only.Cursor);
            cursor = next.Cursor;
            return only;
        }
    }
}
