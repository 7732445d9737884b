using System.Net;
using System.Text.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Results;

// What a graphics desk draws from without a second request, on the demo night (all 650 seats of 2017 from the
// House of Commons Library's files). Expected national and regional figures were worked out from those files.
public sealed partial class DemoNightTests
{
    private sealed record PartyDto(string Party, string PartyName, string ShortName, string Colour, string TextColour);

    private sealed record DrawnSummaryDto(string Code, string Name, DrawnWinnerDto? Winner, string? Result, bool Gain, string? PreviousWinnerParty);

    private sealed record DrawnChangeDto(long Cursor, string Code, DrawnWinnerDto? Winner, string? Result, bool Gain, string? PreviousWinnerParty);

    private async Task<HttpResponseMessage> Get(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await Client.SendAsync(request, Ct);
    }

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static readonly DrawnWinnerDto Bradley = new("Ben Bradley", "Con", "Conservative", "Conservative", "#0087DC", "#000000");

    [Fact]
    public async Task List_items_carry_the_winners_party_name_colours_and_the_previous_winner()
    {
        var list = await (await Get("/v1/elections/ge2017/constituencies?area=bbc-east-midlands&gains=true")).ReadAsync<DrawnListDto>();

        var mansfield = list.Constituencies.Single(c => c.Code == "E14000810");
        Assert.Equal(Bradley, mansfield.Winner);
        Assert.Equal(("Con gain from Lab", true, "Lab"), (mansfield.Result, mansfield.Gain, mansfield.PreviousWinnerParty));
        // A "Lab gain from Con" strap from the item alone: winner's party, gain and previous winner's party.
        var derbyNorth = list.Constituencies.Single(c => c.Code == "E14000662");
        Assert.Equal(("Lab", "Labour", "#E4003B", "#FFFFFF", "Con"), (derbyNorth.Winner!.Party, derbyNorth.Winner.PartyName, derbyNorth.Winner.Colour, derbyNorth.Winner.TextColour, derbyNorth.PreviousWinnerParty));
    }

    private sealed record DrawnListDto(List<DrawnSummaryDto> Constituencies);

    private sealed record DrawnChangesDto(long Cursor, List<DrawnChangeDto> Changes);

    [Fact]
    public async Task Change_feed_items_carry_the_winners_party_name_colours_and_the_previous_winner()
    {
        var feed = await (await Get("/v1/elections/ge2017/changes?since=0")).ReadAsync<DrawnChangesDto>();

        var mansfield = feed.Changes.Single(c => c.Code == "E14000810");
        Assert.Equal((Bradley, "Lab"), (mansfield.Winner, mansfield.PreviousWinnerParty));
        Assert.All(feed.Changes.Where(c => c.Winner is not null), c => Assert.Matches("^#[0-9A-F]{6}$", c.Winner!.Colour));
    }

    [Fact]
    public async Task Parties_have_one_code_and_name_field_a_short_label_and_a_text_colour()
    {
        var body = await (await Get("/v1/parties")).Content.ReadAsStringAsync(Ct);
        var parties = JsonSerializer.Deserialize<List<PartyDto>>(body, WebJson)!;

        Assert.DoesNotContain("\"code\":", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"name\":", body, StringComparison.Ordinal);
        Assert.Contains(new PartyDto("LD", "Liberal Democrat", "Lib Dem", "#FAA61A", "#000000"), parties);
        Assert.Contains(new PartyDto("Lab", "Labour", "Labour", "#E4003B", "#FFFFFF"), parties);
        Assert.All(parties, p =>
        {
            Assert.InRange(p.ShortName.Length, 1, 12);
            Assert.Contains(p.TextColour, new[] { "#000000", "#FFFFFF" });
            Assert.DoesNotContain(',', p.Party);
        });

        // Imported codes are clean: the Library's cut abbreviations and long names became names, with codes made from them.
        Assert.DoesNotContain(parties, p => p.Party is "Common Goo" or "Comm Leagu" or "Libertaria");
        Assert.Contains(new PartyDto("common-good-party", "Common Good Party", "Common Good…", "#999999", "#000000"), parties);
        Assert.Contains(parties, p => p.Party == "christian-party-proclaiming-christs-lordship" && p.PartyName == "Christian Party, Proclaiming Christ's Lordship");
    }

    [Fact]
    public async Task Tallies_carry_valid_votes_electorate_turnout_and_swing()
    {
        var uk = await (await Get("/v1/elections/ge2017/tally")).ReadAsync<TallyDto>();
        // From the Library's 2017 files: 32,204,184 valid votes; 46,836,533 electors; 68.7587…% turnout.
        Assert.Equal((32_204_184L, 46_836_533L, 68.76m), (uk.ValidVotes, uk.Electorate, uk.Turnout));
        // Over all 650 seats (each polled in 2015 and 2017): Con 42.34% (36.86% before), Lab 40.00% (30.45% before):
        // ((Con now − before) − (Lab now − before)) / 2 = −2.0019… : 2.00 points from Con to Lab.
        Assert.Equal(new SwingDto("Con", "Lab", 2.00m, "2.0% from Con to Lab"), uk.Swing);

        var region = await (await Get("/v1/elections/ge2017/areas/east-midlands/tally")).ReadAsync<TallyDto>();
        Assert.Equal((2_357_458L, 3_415_899L, 69.01m), (region.ValidVotes, region.Electorate, region.Turnout));
        Assert.Equal(new SwingDto("Con", "Lab", 0.79m, "0.8% from Con to Lab"), region.Swing);
    }

    [Fact]
    public async Task Swing_text_agrees_with_its_points()
    {
        var seat = await (await Get("/v1/elections/ge2017/constituencies/E14000810")).ReadAsync<ConstituencyDto>();

        // Mansfield, 2017 against 2015 (the Library's files): Con 46.64% (28.16% before), Lab 44.53% (39.42% before); exactly
        // ((Con +18.4808…) − (Lab +5.1112…)) / 2 = 6.6848… points: 6.68, and the text reads those points to one decimal.
        Assert.Equal(new SwingDto("Lab", "Con", 6.68m, "6.7% from Lab to Con"), seat.Swing);
        Assert.Equal(decimal.Round(seat.Swing!.Points, 1, MidpointRounding.AwayFromZero).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), seat.Swing.Text.Split('%')[0]);
    }

    [Fact]
    public async Task Others_folds_the_parties_with_fewer_seats_into_one_line()
    {
        var all = await (await Get("/v1/elections/ge2017/tally")).ReadAsync<TallyDto>();
        var folded = await (await Get("/v1/elections/ge2017/tally?others=5")).ReadAsync<TallyDto>();

        Assert.Equal(["Con", "Lab", "SNP", "LD", "DUP", "SF", "Others"], folded.Parties.Select(p => p.Party));
        var others = folded.Parties[^1];
        // PC 4, Green 1, Ind 1, Spk 1.
        Assert.Equal((7, "Others", "#999999"), (others.Seats, others.PartyName, others.Colour));
        Assert.Equal(all.Parties.Skip(6).Select(p => p.Party), others.Parties);
        Assert.Equal(all.Parties.Skip(6).Sum(p => p.Votes), others.Votes);
        Assert.Equal(650, folded.Parties.Sum(p => p.Seats));
        Assert.All(folded.Parties.SkipLast(1), p => Assert.Null(p.Parties));
        Assert.Equal(all.Parties.Take(6), folded.Parties.Take(6));

        var bad = await Get("/v1/elections/ge2017/tally?others=-1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("others", (await bad.ReadAsync<ProblemDto>()).Errors!.Keys);
    }

    [Fact]
    public async Task Format_csv_in_the_query_is_the_same_as_accept_text_csv()
    {
        foreach (var path in new[] { "/v1/elections/ge2017/tally", "/v1/elections/ge2017/areas/derbyshire/tally?others=3", "/v1/elections/ge2017/constituencies?area=derbyshire" })
        {
            var byHeader = await Get(path, "text/csv");
            var byQuery = await Get(path + (path.Contains('?') ? "&" : "?") + "format=csv");

            Assert.Equal("text/csv", byQuery.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await byHeader.Content.ReadAsStringAsync(Ct), await byQuery.Content.ReadAsStringAsync(Ct));
        }

        // The tally's CSV keeps the area's seats, declared and majority line on every row, and the Others line its parties.
        var csv = (await (await Get("/v1/elections/ge2017/tally?others=5&format=csv")).Content.ReadAsStringAsync(Ct)).TrimEnd().Split("\r\n");
        Assert.Equal("party,partyName,shortName,colour,textColour,seats,gains,losses,net,votes,share,shareChange,parties,areaSeats,declared,majorityLine", csv[0]);
        Assert.StartsWith("Con,Conservative,Conservative,#0087DC,#000000,317,", csv[1]);
        Assert.EndsWith(",,650,650,326", csv[1]);
        Assert.StartsWith("Others,Others,Others,#999999,#000000,7,", csv[^1]);
        Assert.Contains(",PC Green ", csv[^1]);

        var unknown = await Get("/v1/elections/ge2017/tally?format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Results_csv_has_one_row_per_candidacy_for_the_election_and_for_an_area()
    {
        var election = await Get("/v1/elections/ge2017/results");
        Assert.Equal(HttpStatusCode.OK, election.StatusCode);
        Assert.Equal("text/csv", election.Content.Headers.ContentType?.MediaType);
        var rows = (await election.Content.ReadAsStringAsync(Ct)).TrimEnd().Split("\r\n");
        Assert.Equal("code,constituency,status,candidate,party,partyName,votes,share,shareChange,elected", rows[0]);
        Assert.Equal(3304, rows.Length - 1); // the Library's 2017 file has 3,304 candidacies
        Assert.Equal(650, rows.Skip(1).Count(r => r.EndsWith(",true", StringComparison.Ordinal)));

        var area = (await (await Get("/v1/elections/ge2017/areas/bbc-east-midlands/results")).Content.ReadAsStringAsync(Ct)).TrimEnd().Split("\r\n");
        Assert.Equal(rows[0], area[0]);
        // Mansfield 2017 against 2015: Con 23,392 of 50,157 = 46.64%, +18.48 points; Lab 22,335 = 44.53%, +5.11 points.
        Assert.Contains("E14000810,Mansfield,declared,Ben Bradley,Con,Conservative,23392,46.64,18.48,true", area);
        Assert.Contains("E14000810,Mansfield,declared,Alan Meale,Lab,Labour,22335,44.53,5.11,false", area);
        Assert.Equal(32, area.Skip(1).Count(r => r.EndsWith(",true", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.NotFound, (await Get("/v1/elections/ge2017/areas/atlantis/results")).StatusCode);
    }

    [Fact]
    public async Task Csv_asked_of_a_document_without_a_csv_form_is_a_406_problem()
    {
        foreach (var (path, accept) in new[]
                 {
                     ("/v1/elections/ge2017/constituencies/E14000810", "text/csv"),
                     ("/v1/parties", "text/csv"),
                     ("/v1/parties?format=csv", null),
                     ("/v1/elections/ge2017/changes?since=0", "text/csv"),
                 })
        {
            var response = await Get(path, accept);
            Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(406, (await response.ReadAsync<ProblemDto>()).Status);
        }

        // A client that takes JSON as well gets JSON.
        var either = await Get("/v1/elections/ge2017/constituencies/E14000810", "text/csv, application/json;q=0.5");
        Assert.Equal(HttpStatusCode.OK, either.StatusCode);
        Assert.Equal("application/json", either.Content.Headers.ContentType?.MediaType);
    }
}
