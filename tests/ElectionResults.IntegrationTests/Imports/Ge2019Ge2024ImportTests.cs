using System.Net;
using System.Net.Http.Json;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Dapper;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Imports;

/// <summary>
/// The real 2019 and 2024 House of Commons Library files (vendored in data/uk-general-elections) imported through HTTP
/// with the ordinary importer, ge2019 on the baseline of ge2017 (same boundaries) and ge2024 on the notional 2019 result on
/// the 2024 boundaries, and checked against the published seats, net changes and the files' own Majority, Result and
/// Change columns.
/// </summary>
public sealed class Ge2019Ge2024ImportTests(Ge2019Ge2024ImportTests.RealFilesFixture imported) : IClassFixture<Ge2019Ge2024ImportTests.RealFilesFixture>
{
    public const string Candidates2019 = "HoC-GE2019-results-by-candidate.csv";
    public const string Constituencies2019 = "HoC-GE2019-results-by-constituency.csv";
    public const string Candidates2024 = "HoC-GE2024-results-by-candidate.csv";
    public const string Constituencies2024 = "HoC-GE2024-results-by-constituency.csv";
    public const string Notional2019 = "notional-GE2019-on-2024-boundaries.csv";

    public sealed class RealFilesFixture(PostgresServer server) : IAsyncLifetime
    {
        public ApiFixture Api { get; } = new(server);

        public string DataDirectory { get; } = FindDataDirectory();

        public Dictionary<string, ImportSummaryDto> Summaries { get; } = [];

        public async ValueTask InitializeAsync()
        {
            await Api.InitializeAsync();
            await Api.PutElectionAsync("ge2017", pollingDay: "2017-06-08");
            await Api.PutElectionAsync("ge2019", previous: "ge2017", pollingDay: "2019-12-12");
            await Api.PutElectionAsync("ge2024", previous: "ge2019", pollingDay: "2024-07-04");
            await Api.ImportFileAsync(DataDirectory, "ge2017", "hoc-candidates", "HoC-GE2017-results-by-candidate.csv");
            // The constituency file first, so each seat's one revision carries its invalid votes and declaration time.
            Summaries[Constituencies2019] = await Api.ImportFileAsync(DataDirectory, "ge2019", "hoc-constituencies-2019", Constituencies2019);
            Summaries[Candidates2019] = await Api.ImportFileAsync(DataDirectory, "ge2019", "hoc-candidates", Candidates2019);
            Summaries[Constituencies2024] = await Api.ImportFileAsync(DataDirectory, "ge2024", "hoc-constituencies-2019", Constituencies2024);
            Summaries[Candidates2024] = await Api.ImportFileAsync(DataDirectory, "ge2024", "hoc-candidates-2024", Candidates2024);
            Summaries[Notional2019] = await Api.ImportFileAsync(DataDirectory, "ge2024", "notional-results", Notional2019);
        }

        public ValueTask DisposeAsync() => Api.DisposeAsync();

        private static string FindDataDirectory()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ElectionResults.sln")))
                {
                    return Path.Combine(dir.FullName, "data", "uk-general-elections");
                }
            }

            throw new InvalidOperationException($"ElectionResults.sln was not found above {AppContext.BaseDirectory}.");
        }
    }

    private ApiFixture Api => imported.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Data => imported.DataDirectory;

    [Fact]
    public async Task Ge2019_has_the_published_seats_all_650_declared()
    {
        var tally = await Api.TallyAsync("ge2019");

        Assert.Equal((650, 650), (tally.Seats, tally.Declared));
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["Con"] = 365, ["Lab"] = 202, ["SNP"] = 48, ["LD"] = 11, ["DUP"] = 8, ["SF"] = 7, ["PC"] = 4, ["SDLP"] = 2,
                ["Green"] = 1, ["Alliance"] = 1, ["Spk"] = 1,
            },
            tally.SeatsWon);
    }

    [Fact]
    public async Task Ge2024_has_the_published_seats_all_650_declared()
    {
        var tally = await Api.TallyAsync("ge2024");

        Assert.Equal((650, 650), (tally.Seats, tally.Declared));
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["Lab"] = 411, ["Con"] = 121, ["LD"] = 72, ["SNP"] = 9, ["SF"] = 7, ["Ind"] = 6, ["RUK"] = 5, ["DUP"] = 5, ["Green"] = 4,
                ["PC"] = 4, ["SDLP"] = 2, ["Alliance"] = 1, ["UUP"] = 1, ["TUV"] = 1, ["Spk"] = 1,
            },
            tally.SeatsWon);
        Assert.Equal(("Reform UK", "Traditional Unionist Voice"), (tally.Parties.Single(p => p.Party == "RUK").PartyName, tally.Parties.Single(p => p.Party == "TUV").PartyName));
    }

    [Theory]
    [InlineData("ge2019", Constituencies2019)]
    [InlineData("ge2024", Constituencies2024)]
    public async Task Every_seats_majority_is_the_constituency_files(string electionId, string file)
    {
        var expected = ReadConstituencyFile(Path.Combine(Data, file)).ToDictionary(r => r.Code, r => long.Parse(r.Majority, System.Globalization.CultureInfo.InvariantCulture));
        var list = await (await Api.Client.GetAsync($"/v1/elections/{electionId}/constituencies", Ct)).ReadAsync<ConstituencyListDto>();

        Assert.Equal(650, list.Constituencies.Count);
        var wrong = list.Constituencies.Where(s => s.Majority != expected[s.Code]).Select(s => $"{s.Code} {s.Name}: {s.Majority} not {expected[s.Code]}").ToArray();
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task Every_ge2019_result_is_the_constituency_files_against_2017()
    {
        var expected = ReadConstituencyFile(Path.Combine(Data, Constituencies2019)).ToDictionary(r => r.Code, r => ServiceCodes(r.Result));
        var list = await (await Api.Client.GetAsync("/v1/elections/ge2019/constituencies", Ct)).ReadAsync<ConstituencyListDto>();

        Assert.Equal(650, list.Constituencies.Count);
        var wrong = list.Constituencies.Where(s => s.Result != expected[s.Code]).Select(s => $"{s.Code} {s.Name}: '{s.Result}' not '{expected[s.Code]}'").ToArray();
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task Every_ge2024_result_is_the_constituency_files_against_the_notional_2019_result()
    {
        var expected = ReadConstituencyFile(Path.Combine(Data, Constituencies2024)).ToDictionary(r => r.Code, r => ServiceCodes(r.Result));
        var list = await (await Api.Client.GetAsync("/v1/elections/ge2024/constituencies", Ct)).ReadAsync<ConstituencyListDto>();

        Assert.Equal(new BaselineDto("ge2019", Notional: true), list.Baseline);
        Assert.Equal(650, list.Constituencies.Count);
        var wrong = list.Constituencies.Where(s => s.Result != expected[s.Code]).Select(s => $"{s.Code} {s.Name}: '{s.Result}' not '{expected[s.Code]}'").ToArray();
        Assert.Empty(wrong);
        // The Library's traps: a by-election winner's seat, and the new-code Scottish seat, compare with the notional result.
        Assert.Equal("Lab hold", list.Constituencies.Single(s => s.Name == "Rochdale").Result);
        Assert.Equal("Ind gain from Alliance", list.Constituencies.Single(s => s.Name == "North Down").Result);
        Assert.Equal("Lab gain from SNP", list.Constituencies.Single(s => s.Code == "S14000107").Result); // Ayr, Carrick and Cumnock
    }

    [Fact]
    public async Task Ge2024s_net_changes_are_the_published_ones_against_the_notional_seats()
    {
        var tally = await Api.TallyAsync("ge2024");

        Assert.Equal(new BaselineDto("ge2019", Notional: true), tally.Baseline);
        // Notional 2019: Con 372, Lab 200, SNP 48, LD 8, DUP 8, SF 7, PC 2, SDLP 2, Green 1, Alliance 1, Speaker 1.
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["Lab"] = 211, ["Con"] = -251, ["LD"] = 64, ["SNP"] = -39, ["SF"] = 0, ["Ind"] = 6, ["RUK"] = 5, ["DUP"] = -3, ["Green"] = 3,
                ["PC"] = 2, ["SDLP"] = 0, ["Alliance"] = 0, ["UUP"] = 1, ["TUV"] = 1, ["Spk"] = 0,
            },
            tally.Parties.Where(p => p.Seats > 0 || p.Net != 0).ToDictionary(p => p.Party, p => p.Net));
        Assert.Equal(0, tally.Parties.Sum(p => p.Net));
    }

    [Fact]
    public async Task Every_ge2024_share_change_is_the_candidate_files_change_against_the_notional_shares()
    {
        // The file's Change is a fraction of 1 (six decimals), the service's shareChange percentage points to 2 dp; both come
        // from the same votes, so they agree to within the rounding of the file's figure wherever the file gives one.
        // Independents have no share change.
        var changes = ReadCandidateChanges(Path.Combine(Data, Candidates2024));
        var compared = 0;
        var wrong = new List<string>();
        foreach (var code in changes.Keys.Take(650))
        {
            var seat = await (await Api.Client.GetAsync($"/v1/elections/ge2024/constituencies/{code}", Ct)).ReadAsync<ConstituencyDto>();
            foreach (var candidate in seat.Candidates.Where(c => c.Party != "Ind"))
            {
                var key = (candidate.Party == "Alliance" ? "APNI" : candidate.Party, candidate.Votes!.Value);
                if (!changes[code].TryGetValue(key, out var change) || change is not { } fraction)
                {
                    // The file gives no change (the party did not stand in the seat in 2019, as the Library judges it).
                    continue;
                }

                compared++;
                var expected = Math.Round(fraction * 100, 2, MidpointRounding.AwayFromZero);
                if (candidate.ShareChange is not { } shareChange || Math.Abs(shareChange - expected) > 0.011m)
                {
                    wrong.Add($"{code} {candidate.Party}: {candidate.ShareChange} not {expected}");
                }
            }
        }

        // Every candidate the file gives a change for (3,011 of its 4,515 rows; Independents aside) was compared.
        Assert.Equal(3011, compared);
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task A_certified_election_takes_no_notional_result_until_the_certification_is_withdrawn()
    {
        async Task<long> NotionalLinesAsync()
        {
            await using var connection = await Api.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM notional_results WHERE election_id = 'ge2024'", cancellationToken: Ct));
        }

        var certify = await Api.Admin.PutAsJsonAsync("/v1/elections/ge2024/certification", new { source = "Returning officers' declarations" }, Ct);
        Assert.Equal(HttpStatusCode.OK, certify.StatusCode);
        try
        {
            var file = await File.ReadAllBytesAsync(Path.Combine(Data, Notional2019), Ct);
            var refused = await Api.Admin.PostImportAsync("ge2024", "notional-results", file, Notional2019);

            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(3529, await NotionalLinesAsync());
        }
        finally
        {
            var withdraw = await Api.Admin.DeleteAsync("/v1/elections/ge2024/certification?reason=test%20over", Ct);
            Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        }
    }

    [Fact]
    public async Task A_baseline_with_other_seats_is_a_400_that_says_why_and_one_with_the_same_seats_is_compared_with()
    {
        var otherBoundaries = await Api.Client.GetAsync("/v1/elections/ge2024/tally?baseline=ge2019", Ct);
        var problem = await otherBoundaries.ReadAsync<ProblemDto>();
        Assert.Equal(HttpStatusCode.BadRequest, otherBoundaries.StatusCode);
        Assert.Contains("645 of the 650 seats of 'ge2024' are not seats of 'ge2019'", problem.Errors!["baseline"][0], StringComparison.Ordinal);
        Assert.Contains("notional result of 'ge2019'", problem.Errors["baseline"][0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.Client.GetAsync("/v1/elections/ge2024/constituencies?baseline=ge2019", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.Client.GetAsync("/v1/elections/ge2019/tally?baseline=ge2019", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.Client.GetAsync("/v1/elections/ge2019/tally?baseline=ge1997", Ct)).StatusCode);

        // 2017 measured against 2019 (the same 650 seats): Labour's 2017 seats against its 2019 ones.
        var reversed = await (await Api.Client.GetAsync("/v1/elections/ge2017/tally?baseline=ge2019", Ct)).ReadAsync<ImportTallyDto>();
        var own = await Api.TallyAsync("ge2017");
        Assert.Equal(new BaselineDto("ge2019", Notional: false), reversed.Baseline);
        Assert.Null(own.Baseline);
        Assert.Equal(262 - 202, reversed.Parties.Single(p => p.Party == "Lab").Net);
        Assert.Equal(317 - 365, reversed.Parties.Single(p => p.Party == "Con").Net);
        var list = await (await Api.Client.GetAsync("/v1/elections/ge2017/constituencies?baseline=ge2019&gains=true", Ct)).ReadAsync<ConstituencyListDto>();
        Assert.Contains(list.Constituencies, s => s.Name == "Bishop Auckland" && s.Result == "Lab gain from Con");
    }

    [Fact]
    public async Task A_2019_seat_has_the_files_electorate_invalid_votes_and_uk_declaration_time()
    {
        var aberavon = await (await Api.Client.GetAsync("/v1/elections/ge2019/constituencies/W07000049", Ct)).ReadAsync<ConstituencyDto>();

        Assert.Equal((50750L, 31598L, 82L, 1), (aberavon.Electorate, aberavon.ValidVotes, aberavon.InvalidVotes, aberavon.Revision));
        Assert.Equal(new DateTimeOffset(2019, 12, 13, 2, 30, 0, TimeSpan.Zero), aberavon.DeclaredAt); // GMT in December

    }

    [Fact]
    public async Task Importing_the_five_files_again_changes_nothing()
    {
        var data = Data;
        var tally2019 = await Api.Client.GetAsync("/v1/elections/ge2019/tally", Ct);
        var tally2024 = await Api.Client.GetAsync("/v1/elections/ge2024/tally", Ct);
        var revisionsBefore = await RevisionCountsAsync();
        var before = await Api.DumpDatabaseAsync();

        var again = new[]
        {
            await Api.ImportFileAsync(data, "ge2019", "hoc-constituencies-2019", Constituencies2019),
            await Api.ImportFileAsync(data, "ge2019", "hoc-candidates", Candidates2019),
            await Api.ImportFileAsync(data, "ge2024", "hoc-constituencies-2019", Constituencies2024),
            await Api.ImportFileAsync(data, "ge2024", "hoc-candidates-2024", Candidates2024),
            await Api.ImportFileAsync(data, "ge2024", "notional-results", Notional2019),
        };

        Assert.All(again, summary => Assert.Equal(
            (false, 0, 0, 0, 0), (summary.Changed, summary.RevisionsAdded, summary.CandidaciesCreated, summary.ElectoratesSet, summary.NotionalLinesAdded)));
        Assert.Equal(revisionsBefore, await RevisionCountsAsync());
        Assert.Equal(new Dictionary<string, long> { ["ge2017"] = 650, ["ge2019"] = 650, ["ge2024"] = 650 }, revisionsBefore);
        Assert.Equal(before, await Api.DumpDatabaseAsync());
        foreach (var (electionId, tally) in new[] { ("ge2019", tally2019), ("ge2024", tally2024) })
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/v1/elections/{electionId}/tally");
            conditional.Headers.IfNoneMatch.Add(tally.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await Api.Client.SendAsync(conditional, Ct)).StatusCode);
        }
    }

    [Theory]
    [InlineData("ge2019", 533, 59, 40, 18)]
    [InlineData("ge2024", 543, 57, 32, 18)]
    public async Task The_areas_are_the_countrys_nations_and_regions_once_each_with_no_nameless_county(
        string electionId, int england, int scotland, int wales, int northernIreland)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await Api.Client.GetStringAsync($"/v1/elections/{electionId}/areas", Ct));
        var areas = document.RootElement.GetProperty("areas").EnumerateArray()
            .Select(a => (Id: a.GetProperty("id").GetString()!, Name: a.GetProperty("name").GetString()!, Kind: a.GetProperty("kind").GetString()!, Seats: a.GetProperty("seats").GetInt32()))
            .ToList();

        Assert.Equal([("uk", 650)], areas.Where(a => a.Kind == "country").Select(a => (a.Id, a.Seats)));
        Assert.Equal(
            [("England", england), ("Northern Ireland", northernIreland), ("Scotland", scotland), ("Wales", wales)],
            areas.Where(a => a.Kind == "nation").Select(a => (a.Name, a.Seats)).OrderBy(a => a.Name, StringComparer.Ordinal));
        // England's nine regions, each once (the 2019 candidate file's "East" is the constituency file's "East of England";
        // it keeps the older files' name and id), and together every English seat.
        var regions = areas.Where(a => a.Kind == "region" && a.Name is not ("Scotland" or "Wales" or "Northern Ireland")).ToList();
        Assert.Equal(9, regions.Count);
        Assert.Contains(regions, r => (r.Id, r.Name) == ("east", "East"));
        Assert.DoesNotContain(regions, r => r.Name == "East of England");
        Assert.Equal(england, regions.Sum(r => r.Seats));
        Assert.All(areas, a => Assert.False(string.IsNullOrWhiteSpace(a.Name), $"{a.Id} has no name"));
        if (electionId == "ge2024")
        {
            // The 2024 files name no counties.
            Assert.DoesNotContain(areas, a => a.Kind == "county");
        }
    }

    [Fact]
    public void The_first_imports_declare_every_seat_once()
    {
        Assert.Equal((650, 0), (imported.Summaries[Constituencies2019].Seats, imported.Summaries[Constituencies2019].RevisionsAdded));
        Assert.Equal((650, 3320, 650), (imported.Summaries[Candidates2019].Seats, imported.Summaries[Candidates2019].Candidates, imported.Summaries[Candidates2019].RevisionsAdded));
        Assert.Equal((650, 0), (imported.Summaries[Constituencies2024].Seats, imported.Summaries[Constituencies2024].RevisionsAdded));
        Assert.Equal((650, 4515, 650), (imported.Summaries[Candidates2024].Seats, imported.Summaries[Candidates2024].Candidates, imported.Summaries[Candidates2024].RevisionsAdded));
        // 4,236 rows less the 707 aggregate rows, for all 650 seats.
        Assert.Equal((3529, 650, 3529), (imported.Summaries[Notional2019].Rows, imported.Summaries[Notional2019].Seats, imported.Summaries[Notional2019].NotionalLinesAdded));
    }

    private async Task<Dictionary<string, long>> RevisionCountsAsync()
    {
        await using var connection = await Api.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string ElectionId, long Count)>(new CommandDefinition(
            "SELECT election_id, count(*) FROM declarations GROUP BY election_id ORDER BY election_id", cancellationToken: Ct));
        return rows.ToDictionary(r => r.ElectionId, r => r.Count);
    }

    /// <summary>The file's result in the service's party codes: "Lab Coop" is Labour, "APNI" the Alliance Party.</summary>
    private static string ServiceCodes(string result) =>
        string.Join(' ', result.Replace("Lab Coop", "Lab", StringComparison.Ordinal).Split(' ').Select(word => word == "APNI" ? "Alliance" : word));

    private sealed record ConstituencyFileRow(string Code, string Result, string Majority);

    /// <summary>The candidate file's Change per seat, by party abbreviation and votes (null where the party did not stand last time).</summary>
    private static Dictionary<string, Dictionary<(string Party, long Votes), decimal?>> ReadCandidateChanges(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, new CsvConfiguration(System.Globalization.CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        var seats = new Dictionary<string, Dictionary<(string, long), decimal?>>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var code = csv.GetField("ONS ID")!;
            var change = csv.GetField("Change")!;
            var key = (csv.GetField("Party abbreviation")!, long.Parse(csv.GetField("Votes")!, System.Globalization.CultureInfo.InvariantCulture));
            (seats.TryGetValue(code, out var seat) ? seat : seats[code] = [])[key] =
                change.Length == 0 ? null : decimal.Parse(change, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        }

        return seats;
    }

    private static List<ConstituencyFileRow> ReadConstituencyFile(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, new CsvConfiguration(System.Globalization.CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        var rows = new List<ConstituencyFileRow>();
        while (csv.Read())
        {
            rows.Add(new ConstituencyFileRow(csv.GetField("ONS ID")!, csv.GetField("Result")!, csv.GetField("Majority")!));
        }

        return rows;
    }
}

internal static class RealFileImports
{
    /// <summary>Imports a file of the data directory through HTTP and insists that it succeeds.</summary>
    public static async Task<ImportSummaryDto> ImportFileAsync(this ApiFixture api, string directory, string electionId, string format, string file)
    {
        var response = await api.Admin.PostImportAsync(electionId, format, await File.ReadAllBytesAsync(Path.Combine(directory, file), TestContext.Current.CancellationToken), file);
        Assert.True(response.IsSuccessStatusCode, $"import {file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return await response.ReadAsync<ImportSummaryDto>();
    }
}
