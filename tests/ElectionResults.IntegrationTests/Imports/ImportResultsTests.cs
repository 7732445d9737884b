using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;
using static ElectionResults.IntegrationTests.Imports.ImportClient;

namespace ElectionResults.IntegrationTests.Imports;

/// <summary>
/// Both elections imported from the fixture files (9 seats with every trap of the real files) into an
/// empty database, then read back through the public endpoints.
/// </summary>
public sealed class ImportResultsTests(ImportResultsTests.ImportedFixture imported) : IClassFixture<ImportResultsTests.ImportedFixture>
{
    public sealed class ImportedFixture(PostgresServer server) : IAsyncLifetime
    {
        public ApiFixture Api { get; } = new(server);

        public Dictionary<string, ImportSummaryDto> Summaries { get; } = [];

        public async ValueTask InitializeAsync()
        {
            await Api.InitializeAsync();
            await Api.PutElectionAsync("ge2015", pollingDay: "2015-05-07");
            await Api.PutElectionAsync("ge2017", previous: "ge2015");
            // 2015: candidates first, then the Electoral Commission's electorates. 2017: the constituency file first.
            Summaries[Candidates2015] = await Api.ImportAsync("ge2015", Candidates2015);
            Summaries[ElectoralCommission2015] = await Api.ImportAsync("ge2015", ElectoralCommission2015);
            Summaries[Constituencies2017] = await Api.ImportAsync("ge2017", Constituencies2017);
            Summaries[Candidates2017] = await Api.ImportAsync("ge2017", Candidates2017);
        }

        public ValueTask DisposeAsync() => Api.DisposeAsync();
    }

    private ApiFixture Api => imported.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_first_candidates_import_creates_everything_it_names()
    {
        var summary = imported.Summaries[Candidates2015];

        Assert.Equal(
            new ImportSummaryDto("ge2015", "hoc-candidates", "House of Commons Library: hoc-candidates-2015.csv", "utf-8",
                Rows: 60, Seats: 9, Candidates: 60, RevisionsAdded: 9, AreasCreated: 14, PartiesCreated: 22, ConstituenciesCreated: 9,
                CandidaciesCreated: 60, ElectoratesSet: 0, Changed: true),
            summary);
    }

    [Fact]
    public void The_constituency_files_set_electorates_and_reuse_what_exists()
    {
        var commission = imported.Summaries[ElectoralCommission2015];
        Assert.Equal(("windows-1252", 9, 9, 0, 0, 0, 0), (commission.Encoding, commission.Rows, commission.ElectoratesSet, commission.RevisionsAdded, commission.AreasCreated, commission.ConstituenciesCreated, commission.PartiesCreated));

        var library = imported.Summaries[Constituencies2017];
        Assert.Equal((9, 9, 0, 14, 9), (library.Rows, library.ElectoratesSet, library.RevisionsAdded, library.AreasCreated, library.ConstituenciesCreated));

        var candidates = imported.Summaries[Candidates2017];
        Assert.Equal((9, 50, 0, 0, 4), (candidates.RevisionsAdded, candidates.CandidaciesCreated, candidates.AreasCreated, candidates.ConstituenciesCreated, candidates.PartiesCreated));
    }

    [Fact]
    public async Task The_2015_result_is_the_published_one_with_the_speaker_as_speaker()
    {
        var tally = await Api.TallyAsync("ge2015");

        Assert.Equal((9, 9), (tally.Seats, tally.Declared));
        Assert.Equal(new Dictionary<string, int> { ["Con"] = 3, ["Lab"] = 2, ["LD"] = 1, ["SNP"] = 1, ["SDLP"] = 1, ["Spk"] = 1 }, tally.SeatsWon);
        Assert.Equal(("Labour", "#E4003B"), (tally.Parties.Single(p => p.Party == "Lab").PartyName, tally.Parties.Single(p => p.Party == "Lab").Colour));
        Assert.Equal(("Speaker", "#6E6E6E"), (tally.Parties.Single(p => p.Party == "Spk").PartyName, tally.Parties.Single(p => p.Party == "Spk").Colour));
    }

    [Fact]
    public async Task The_2017_result_has_its_gains_and_every_gain_is_another_partys_loss()
    {
        var tally = await Api.TallyAsync("ge2017");

        Assert.Equal((9, 9), (tally.Seats, tally.Declared));
        Assert.Equal(new Dictionary<string, int> { ["Lab"] = 4, ["Con"] = 2, ["SNP"] = 1, ["DUP"] = 1, ["Spk"] = 1 }, tally.SeatsWon);
        var gains = tally.Parties.Where(p => p.Gains > 0).ToDictionary(p => p.Party, p => p.Gains);
        var losses = tally.Parties.Where(p => p.Losses > 0).ToDictionary(p => p.Party, p => p.Losses);
        Assert.Equal(new Dictionary<string, int> { ["Lab"] = 2, ["DUP"] = 1 }, gains);
        Assert.Equal(new Dictionary<string, int> { ["Con"] = 1, ["LD"] = 1, ["SDLP"] = 1 }, losses);
        Assert.Equal(gains.Values.Sum(), losses.Values.Sum());
    }

    [Fact]
    public async Task A_seat_carries_the_electorate_invalid_votes_and_uk_declaration_time_of_the_constituency_file()
    {
        var belfast = await (await Api.Client.GetAsync("/v1/elections/ge2017/constituencies/N06000003", Ct)).ReadAsync<ConstituencyDto>();

        Assert.Equal(("Belfast South", "declared", 1), (belfast.Name, belfast.Status, belfast.Revision));
        Assert.Equal((66105L, 130L, 43705L), (belfast.Electorate, belfast.InvalidVotes, belfast.ValidVotes));
        Assert.Equal(new DateTimeOffset(2017, 6, 9, 2, 20, 0, TimeSpan.Zero), belfast.DeclaredAt);
        Assert.Equal("DUP gain from SDLP", belfast.Result);
        Assert.Contains(belfast.Candidates, c => c is { Name: "Mairtin Samuel O Muilleoir", Party: "SF", Votes: 7143 });
    }

    [Fact]
    public async Task Traps_of_the_files_come_through_intact()
    {
        var ross = await (await Api.Client.GetAsync("/v1/elections/ge2015/constituencies/S14000055", Ct)).ReadAsync<ConstituencyDto>();
        var hallam = await (await Api.Client.GetAsync("/v1/elections/ge2015/constituencies/E14000922", Ct)).ReadAsync<ConstituencyDto>();
        var buckingham = await (await Api.Client.GetAsync("/v1/elections/ge2017/constituencies/E14000608", Ct)).ReadAsync<ConstituencyDto>();
        var ynysMon = await (await Api.Client.GetAsync("/v1/elections/ge2015/constituencies/W07000041", Ct)).ReadAsync<ConstituencyDto>();
        var edgbaston = await (await Api.Client.GetAsync("/v1/elections/ge2017/constituencies/E14000560", Ct)).ReadAsync<ConstituencyDto>();

        Assert.Equal("Ross, Skye and Lochaber", ross.Name);
        Assert.Equal(["Carlton Reeve", "Jim Stop The Fiasco Wild"], hallam.Candidates.Where(c => c.Party == "Ind").Select(c => c.Name).Order());
        Assert.Equal(("Spk hold", "Spk"), (buckingham.Result, buckingham.Winner?.Party));
        Assert.Equal(49939L, ynysMon.Electorate); // from the Windows-1252 file
        Assert.Equal(("Preet Gill", "Lab", "Lab hold"), (edgbaston.Winner?.Name, edgbaston.Winner?.Party, edgbaston.Result)); // Labour and Co-operative
    }

    [Theory]
    [InlineData("uk", "country", 9)]
    [InlineData("england", "nation", 6)]
    [InlineData("scotland", "nation", 1)]
    [InlineData("northern-ireland", "nation", 1)]
    [InlineData("south-east", "region", 2)]
    [InlineData("london", "region", 1)]
    [InlineData("west-midlands", "region", 1)]
    [InlineData("buckinghamshire", "county", 2)]
    [InlineData("gwynedd", "county", 1)]
    public async Task Every_nation_region_and_county_of_the_file_is_an_area(string id, string kind, int seats)
    {
        var areas = await (await Api.Client.GetAsync("/v1/elections/ge2017/areas", Ct)).ReadAsync<AreaListDto>();

        Assert.Contains(new AreaDto(id, areas.Areas.Single(a => a.Id == id).Name, kind, seats), areas.Areas);
        Assert.Equal(14, areas.Areas.Count);
    }

    [Fact]
    public async Task Each_revision_names_the_files_it_came_from_and_who_imported_them()
    {
        var revisions = await (await Api.Client.GetAsync("/v1/elections/ge2017/constituencies/E14000662/revisions", Ct)).ReadAsync<ImportRevisionListDto>();

        var revision = Assert.Single(revisions.Revisions);
        Assert.Equal("House of Commons Library: hoc-candidates-2017.csv; House of Commons Library: hoc-constituencies-2017.csv", revision.Source);
        Assert.Equal(("admin", null, 109L), (revision.EnteredBy, revision.Reason, revision.InvalidVotes));
    }

    [Fact]
    public async Task Existing_parties_are_never_renamed_or_recoloured()
    {
        var put = await Api.Admin.PutAsJsonAsync("/v1/parties/Green", new { name = "Greens (our name)", colour = "#00FF00" }, Ct);
        Assert.True(put.IsSuccessStatusCode);
        await Api.PutElectionAsync("ge2017-again", previous: "ge2015");

        var summary = await Api.ImportAsync("ge2017-again", Candidates2017);

        Assert.Equal(0, summary.PartiesCreated);
        var tally = await Api.TallyAsync("ge2017-again");
        Assert.Equal(("Greens (our name)", "#00FF00"), (tally.Parties.Single(p => p.Party == "Green").PartyName, tally.Parties.Single(p => p.Party == "Green").Colour));
        Assert.Equal((await Api.TallyAsync("ge2017")).SeatsWon, tally.SeatsWon);
    }

    public sealed record AreaDto(string Id, string Name, string Kind, int Seats);

    public sealed record AreaListDto(List<AreaDto> Areas);
}
