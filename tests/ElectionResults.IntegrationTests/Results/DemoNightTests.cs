using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ElectionResults.Api.Features.Demo;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ElectionResults.IntegrationTests.Results;

/// <summary>
/// The demo night through HTTP: the whole 2017 election as published, and on it the BBC East Midlands page of
/// 9 June 2017 (the custom area <c>bbc-east-midlands</c>) and Mansfield's correction.
/// </summary>
public sealed partial class DemoNightTests(DemoApiFixture demo) : IClassFixture<DemoApiFixture>
{
    private HttpClient Client => demo.Api.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bbc_east_midlands_tally_is_18_Conservative_and_14_Labour_each_with_two_gains_and_two_losses()
    {
        var tally = await (await Client.GetAsync("/v1/elections/ge2017/areas/bbc-east-midlands/tally", Ct)).ReadAsync<TallyDto>();

        Assert.Equal(32, tally.Seats);
        Assert.Equal(32, tally.Declared);
        Assert.Equal(17, tally.MajorityLine);
        Assert.Equal(("Con", 18, 2, 2, 0), (tally.Parties[0].Party, tally.Parties[0].Seats, tally.Parties[0].Gains, tally.Parties[0].Losses, tally.Parties[0].Net));
        Assert.Equal(("Lab", 14, 2, 2, 0), (tally.Parties[1].Party, tally.Parties[1].Seats, tally.Parties[1].Gains, tally.Parties[1].Losses, tally.Parties[1].Net));
        Assert.All(tally.Parties.Skip(2), p => Assert.Equal(0, p.Seats));
        Assert.Equal("#0087DC", tally.Party("Con").Colour);
        Assert.Equal(new TallyAreaDto("bbc-east-midlands", "BBC East Midlands", "custom"), tally.Area);
    }

    [Fact]
    public async Task Official_east_midlands_region_has_all_46_seats()
    {
        var tally = await (await Client.GetAsync("/v1/elections/ge2017/areas/east-midlands/tally", Ct)).ReadAsync<TallyDto>();

        Assert.Equal((46, 46, 24), (tally.Seats, tally.Declared, tally.MajorityLine));
        Assert.Equal(("Con", 31, 2, 3), (tally.Parties[0].Party, tally.Parties[0].Seats, tally.Parties[0].Gains, tally.Parties[0].Losses));
        Assert.Equal(("Lab", 15, 3, 2), (tally.Parties[1].Party, tally.Parties[1].Seats, tally.Parties[1].Gains, tally.Parties[1].Losses));
        Assert.Equal(new TallyAreaDto("east-midlands", "East Midlands", "region"), tally.Area);
    }

    [Theory]
    [InlineData("leicestershire", 7, 3, 0, 0, 0, 0)]
    [InlineData("derbyshire", 6, 5, 1, 2, 2, 1)]
    [InlineData("nottinghamshire", 5, 6, 1, 0, 0, 1)]
    public async Task County_tallies_match_the_page(string county, int con, int lab, int conGains, int conLosses, int labGains, int labLosses)
    {
        var tally = await (await Client.GetAsync($"/v1/elections/ge2017/areas/{county}/tally", Ct)).ReadAsync<TallyDto>();

        Assert.Equal(con + lab, tally.Declared);
        Assert.Equal((con, conGains, conLosses), (tally.Party("Con").Seats, tally.Party("Con").Gains, tally.Party("Con").Losses));
        Assert.Equal((lab, labGains, labLosses), (tally.Party("Lab").Seats, tally.Party("Lab").Gains, tally.Party("Lab").Losses));
    }

    [Fact]
    public async Task Gains_filter_lists_exactly_the_four_seats_that_changed_hands()
    {
        var list = await (await Client.GetAsync("/v1/elections/ge2017/constituencies?gains=true&area=bbc-east-midlands", Ct)).ReadAsync<ConstituencyListDto>();

        var gains = list.Constituencies.Select(c => (c.Name, c.Result)).OrderBy(c => c.Name).ToArray();
        Assert.Equal(
            [("Derby North", "Lab gain from Con"), ("High Peak", "Lab gain from Con"), ("Mansfield", "Con gain from Lab"), ("North East Derbyshire", "Con gain from Lab")],
            gains);
    }

    [Theory]
    [InlineData("E14000908", "Rushcliffe", "Con hold")]
    [InlineData("E14000577", "Bolsover", "Lab hold")]
    public async Task Holds_read_as_holds(string code, string name, string result)
    {
        var seat = await (await Client.GetAsync($"/v1/elections/ge2017/constituencies/{code}", Ct)).ReadAsync<ConstituencyDto>();

        Assert.Equal(name, seat.Name);
        Assert.Equal(result, seat.Result);
        Assert.False(seat.Gain);
    }

    [Theory]
    [InlineData("E14000810", 1057)]   // Mansfield
    [InlineData("E14000663", 11248)]  // Derby South
    [InlineData("E14000577", 5288)]   // Bolsover
    [InlineData("E14000843", 2860)]   // North East Derbyshire: the page says 2,861, the votes say 2,860
    public async Task Majorities_come_from_the_votes(string code, long majority)
    {
        var seat = await (await Client.GetAsync($"/v1/elections/ge2017/constituencies/{code}", Ct)).ReadAsync<ConstituencyDto>();

        Assert.Equal(majority, seat.Majority);
        var ranked = seat.Candidates.Select(c => c.Votes!.Value).ToArray();
        Assert.Equal(ranked[0] - ranked[1], seat.Majority);
        Assert.Equal(ranked.Sum(), seat.ValidVotes);
    }

    [Fact]
    public async Task Mansfield_keeps_both_revisions_and_shows_the_correction()
    {
        var revisions = await (await Client.GetAsync("/v1/elections/ge2017/constituencies/E14000810/revisions", Ct)).ReadAsync<RevisionListDto>();
        var seat = await (await Client.GetAsync("/v1/elections/ge2017/constituencies/E14000810", Ct)).ReadAsync<ConstituencyDto>();

        Assert.Equal([1, 2], revisions.Revisions.Select(r => r.Revision));
        Assert.Equal(("Alan Meale", "Lab hold", (string?)null), (revisions.Revisions[0].Winner!.Name, revisions.Revisions[0].Result, revisions.Revisions[0].Reason));
        Assert.Equal(("Ben Bradley", "Con gain from Lab"), (revisions.Revisions[1].Winner!.Name, revisions.Revisions[1].Result));
        Assert.Contains("wrong winner", revisions.Revisions[1].Reason);

        Assert.Equal(2, seat.Revision);
        Assert.Equal(new WinnerDto("Ben Bradley", "Con"), seat.Winner);
        Assert.Equal("Lab", seat.PreviousWinnerParty);
        Assert.True(seat.Gain);
        Assert.Equal(["Ben Bradley"], seat.Candidates.Where(c => c.Elected).Select(c => c.Name));
    }

    [Fact]
    public async Task Expected_declaration_times_are_the_real_ones_rounded_down_to_the_quarter_hour()
    {
        // Mansfield declared at 04:17 BST: expected at 04:15 BST (03:15Z).
        var mansfield = await (await Client.GetAsync("/v1/elections/ge2017/constituencies/E14000810", Ct)).ReadAsync<JsonElement>();
        Assert.Equal(new DateTimeOffset(2017, 6, 9, 3, 15, 0, TimeSpan.Zero), mansfield.GetProperty("expectedDeclarationAt").GetDateTimeOffset());

        // The Library's file has 74 seats declared before 02:00 BST; rounding down keeps each of them before it. Houghton
        // (23:10) and Newcastle Central (23:01) are both expected at 23:00, and then come in name order.
        var due = await (await Client.GetAsync("/v1/elections/ge2017/constituencies?sort=expected&expectedBefore=2017-06-09T02:00:00%2B01:00", Ct)).ReadAsync<JsonElement>();
        var items = due.GetProperty("constituencies").EnumerateArray().ToList();
        Assert.Equal(74, items.Count);
        Assert.Equal("Houghton and Sunderland South", items[0].GetProperty("name").GetString());

        // 2015's files give no declaration times, so its seats have no expected time.
        var old = await (await Client.GetAsync("/v1/elections/ge2015/constituencies/E14000810", Ct)).ReadAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, old.GetProperty("expectedDeclarationAt").ValueKind);
    }

    [Fact]
    public async Task Mansfield_figures_are_computed_from_exact_votes()
    {
        var seat = await (await Client.GetAsync("/v1/elections/ge2017/constituencies/E14000810", Ct)).ReadAsync<ConstituencyDto>();

        // 23,392 / 50,157 valid votes = 46.637…%; electorate 77,811: turnout 50,157 / 77,811 = 64.460…%.
        var bradley = seat.Candidates[0];
        Assert.Equal((23392L, 46.64m), (bradley.Votes!.Value, bradley.Share!.Value));
        Assert.Equal(64.46m, seat.Turnout);
        Assert.Equal(2.11m, seat.MajorityPercent);
        Assert.NotNull(seat.Swing);
        Assert.Equal(("Lab", "Con"), (seat.Swing!.From, seat.Swing.To));
        Assert.Null(seat.Candidates.Single(c => c.Party == "Ind").ShareChange);
    }

    [Fact]
    public async Task Every_tally_says_who_has_or_can_still_reach_a_majority()
    {
        // GE2019: the Conservatives' 365 clear the 326; with everything declared no one else can reach it.
        var ge2019 = await (await Client.GetAsync("/v1/elections/ge2019/tally", Ct)).ReadAsync<TallyDto>();
        Assert.Equal((326, 322, 0), (ge2019.MajorityLine, ge2019.WorkingMajorityLine, ge2019.Open));
        Assert.Equal("majority", ge2019.Party("Con").Majority);
        Assert.All(ge2019.Parties.Where(p => p.Party != "Con"), p => Assert.Equal("cannotReach", p.Majority));

        // GE2017 at 02:00 BST: 74 declared, 576 open; both big parties can still reach 326, and no Sinn Féin seat is in yet.
        var early = await (await Client.GetAsync("/v1/elections/ge2017/tally?asOf=2017-06-09T02:00:00%2B01:00", Ct)).ReadAsync<TallyDto>();
        Assert.Equal(74, early.Declared);
        Assert.Equal(650 - early.Parties.Sum(p => p.Seats), early.Open);
        Assert.Equal(("canReach", "canReach"), (early.Party("Con").Majority, early.Party("Lab").Majority));
        var sinnFeinSoFar = early.Parties.Where(p => p.Party is "SF" or "Spk").Sum(p => p.Seats);
        Assert.Equal(((650 - sinnFeinSoFar) / 2) + 1, early.WorkingMajorityLine);

        // An area's tally has its own lines: the BBC East Midlands patch's 32 seats need 17.
        var patch = await (await Client.GetAsync("/v1/elections/ge2017/areas/bbc-east-midlands/tally", Ct)).ReadAsync<TallyDto>();
        Assert.Equal((17, 17, 0), (patch.MajorityLine, patch.WorkingMajorityLine, patch.Open));
        Assert.Equal("majority", patch.Party("Con").Majority);   // 18 of 32
    }

    [Fact]
    public async Task Whole_election_tally_is_the_published_state_of_the_parties()
    {
        var ge2017 = await (await Client.GetAsync("/v1/elections/ge2017/tally", Ct)).ReadAsync<TallyDto>();
        var ge2015 = await (await Client.GetAsync("/v1/elections/ge2015/tally", Ct)).ReadAsync<TallyDto>();

        Assert.Null(ge2017.Area);
        Assert.Equal((650, 650, 326), (ge2017.Seats, ge2017.Declared, ge2017.MajorityLine));
        Assert.Equal(
            [("Con", 317), ("Lab", 262), ("SNP", 35), ("LD", 12), ("DUP", 10), ("SF", 7), ("PC", 4), ("Green", 1), ("Ind", 1), ("Spk", 1)],
            ge2017.Parties.Where(p => p.Seats > 0).Select(p => (p.Party, p.Seats)));
        Assert.Equal((20, 33, -13), (ge2017.Party("Con").Gains, ge2017.Party("Con").Losses, ge2017.Party("Con").Net));
        Assert.Equal((36, 6, 30), (ge2017.Party("Lab").Gains, ge2017.Party("Lab").Losses, ge2017.Party("Lab").Net));
        Assert.Equal(42.34m, ge2017.Party("Con").Share);
        // The arithmetic of power: a hung parliament. 322 to govern with the Speaker and Sinn Féin's 7 left out, no seat open,
        // so no party has or can reach the 326.
        Assert.Equal((326, 322, 0), (ge2017.MajorityLine, ge2017.WorkingMajorityLine, ge2017.Open));
        Assert.All(ge2017.Parties, p => Assert.Equal("cannotReach", p.Majority));
        Assert.Equal((650, 330, 232, 56), (ge2015.Seats, ge2015.Party("Con").Seats, ge2015.Party("Lab").Seats, ge2015.Party("SNP").Seats));
        Assert.All(ge2015.Parties, p => Assert.Null(p.ShareChange));
    }

    [Fact]
    public async Task Unknown_election_seat_and_area_are_404_problems()
    {
        foreach (var path in new[] { "/v1/elections/ge1900/tally", "/v1/elections/ge2017/constituencies/E14999999", "/v1/elections/ge2017/areas/atlantis/tally", "/v1/elections/ge2017/constituencies?area=atlantis" })
        {
            var response = await Client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.ReadAsync<ProblemDto>();
            Assert.Equal(404, problem.Status);
            Assert.False(string.IsNullOrEmpty(problem.Detail));
        }
    }

    [Fact]
    public async Task Filters_combine_and_bad_status_is_400()
    {
        var notts = await (await Client.GetAsync("/v1/elections/ge2017/constituencies?area=nottinghamshire&status=declared", Ct)).ReadAsync<ConstituencyListDto>();
        Assert.Equal(11, notts.Constituencies.Count);
        Assert.Equal(notts.Constituencies.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => c.Code), notts.Constituencies.Select(c => c.Code));

        var none = await (await Client.GetAsync("/v1/elections/ge2017/constituencies?status=notDeclared", Ct)).ReadAsync<ConstituencyListDto>();
        Assert.Empty(none.Constituencies);

        var bad = await Client.GetAsync("/v1/elections/ge2017/constituencies?status=won", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("status", (await bad.ReadAsync<ProblemDto>()).Errors!.Keys);
    }

    [Fact]
    public async Task Every_get_has_a_strong_etag_and_honours_if_none_match()
    {
        foreach (var path in new[] { "/v1/elections", "/v1/elections/ge2017", "/v1/parties", "/v1/elections/ge2017/areas", "/v1/elections/ge2017/tally",
                     "/v1/elections/ge2017/constituencies", "/v1/elections/ge2017/constituencies/E14000810", "/v1/elections/ge2017/constituencies/E14000810/revisions" })
        {
            var first = await Client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag;
            Assert.NotNull(etag);
            Assert.False(etag!.IsWeak, path);

            using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
            conditional.Headers.IfNoneMatch.Add(etag);
            var second = await Client.SendAsync(conditional, Ct);
            Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
            Assert.Empty(await second.Content.ReadAsByteArrayAsync(Ct));

            using var stale = new HttpRequestMessage(HttpMethod.Get, path);
            stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));
            Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(stale, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Csv_is_served_for_lists_and_tallies()
    {
        using var listRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/constituencies?gains=true&area=bbc-east-midlands");
        listRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var list = await Client.SendAsync(listRequest, Ct);
        var listLines = (await list.Content.ReadAsStringAsync(Ct)).TrimEnd().Split("\r\n");

        Assert.Equal("text/csv", list.Content.Headers.ContentType?.MediaType);
        Assert.Equal("code,name,status,revision,declaredAt,winnerName,winnerParty,winnerPartyName,winnerColour,majority,result,gain,previousWinnerParty,expectedDeclarationAt", listLines[0]);
        Assert.Equal(5, listLines.Length);
        // The CSV's expected declaration time is the JSON's, to the second, with its offset.
        var json = await Client.GetFromJsonAsync<JsonElement>("/v1/elections/ge2017/constituencies?gains=true&area=bbc-east-midlands", Ct);
        var expected = json.GetProperty("constituencies").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "E14000810")
            .GetProperty("expectedDeclarationAt").GetDateTimeOffset();
        Assert.Contains(listLines, l => l.StartsWith("E14000810,Mansfield,declared,2,", StringComparison.Ordinal)
            && l.EndsWith($",Ben Bradley,Con,Conservative,#0087DC,1057,Con gain from Lab,true,Lab,{expected:yyyy-MM-dd'T'HH:mm:ssK}", StringComparison.Ordinal));

        using var tallyRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/areas/leicestershire/tally");
        tallyRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var tally = (await (await Client.SendAsync(tallyRequest, Ct)).Content.ReadAsStringAsync(Ct)).Split("\r\n");
        Assert.Equal("party,partyName,shortName,colour,textColour,seats,gains,losses,net,votes,share,shareChange,parties,areaSeats,declared,majorityLine", tally[0]);
        Assert.StartsWith("Con,Conservative,Conservative,#0087DC,#000000,7,0,0,0,", tally[1]);
        Assert.StartsWith("Lab,Labour,Labour,#E4003B,#FFFFFF,3,0,0,0,", tally[2]);
    }

    [Fact]
    public async Task Loading_the_demo_data_twice_changes_nothing()
    {
        var before = await (await Client.GetAsync("/v1/elections/ge2017/constituencies/E14000810/revisions", Ct)).Content.ReadAsStringAsync(Ct);
        var dump = await demo.Api.DumpAsync(sequences: true);
        var steps = await demo.Api.Factory.Services.GetRequiredService<DemoData>().LoadAsync(Ct);
        var after = await (await Client.GetAsync("/v1/elections/ge2017/constituencies/E14000810/revisions", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Equal(0, steps);
        Assert.Equal(before, after);
        // Not a row, not a sequence, not even the data version moved: every ETag stays valid.
        Assert.Equal(dump, await demo.Api.DumpAsync(sequences: true));
        await using var connection = await demo.Api.OpenConnectionAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM declarations", connection);
        Assert.Equal((4 * 650L) + 1L, await count.ExecuteScalarAsync(Ct));   // one revision per seat of the four elections, and Mansfield's correction
    }
}
