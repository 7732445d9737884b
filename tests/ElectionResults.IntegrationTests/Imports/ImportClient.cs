using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Imports;

// The import contract as a client reads it.
public sealed record ImportSummaryDto(
    string ElectionId, string Format, string Source, string Encoding, int Rows, int Seats, int Candidates, int RevisionsAdded,
    int AreasCreated, int PartiesCreated, int ConstituenciesCreated, int CandidaciesCreated, int ElectoratesSet, bool Changed, int NotionalLinesAdded = 0);

public sealed record ImportErrorDto(int Line, string Message);

public sealed record ImportProblemDto(string? Title, int? Status, string? Detail, int ErrorCount, List<ImportErrorDto>? Errors);

public sealed record ImportTallyPartyDto(string Party, string PartyName, string Colour, int Seats, int Gains, int Losses, long Votes, int Net = 0);

public sealed record ImportTallyDto(int Seats, int Declared, List<ImportTallyPartyDto> Parties, BaselineDto? Baseline = null)
{
    public Dictionary<string, int> SeatsWon => Parties.Where(p => p.Seats > 0).ToDictionary(p => p.Party, p => p.Seats);
}

public sealed record ImportRevisionDto(int Revision, string Source, string EnteredBy, string? Reason, long? InvalidVotes, DateTimeOffset? DeclaredAt, long? ValidVotes);

public sealed record ImportRevisionListDto(List<ImportRevisionDto> Revisions);

/// <summary>Import requests and the checks the import tests share.</summary>
public static class ImportClient
{
    public const string Candidates2015 = "hoc-candidates-2015.csv";
    public const string Candidates2017 = "hoc-candidates-2017.csv";
    public const string Constituencies2017 = "hoc-constituencies-2017.csv";
    public const string ElectoralCommission2015 = "ec-constituencies-2015.csv";

    private static readonly Lazy<string> FixtureDirectory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "imports");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/fixtures/imports was not found above {AppContext.BaseDirectory}.");
    });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fixture file of tests/fixtures/imports (shared with the unit tests).</summary>
    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(FixtureDirectory.Value, name));

    /// <summary>A fixture with its 1-based line <paramref name="line"/> rewritten.</summary>
    public static byte[] WithLine(string name, int line, Func<string, string> change)
    {
        var lines = Encoding.UTF8.GetString(Fixture(name)).Split('\n');
        var changed = change(lines[line - 1]);
        Assert.NotEqual(lines[line - 1], changed);
        lines[line - 1] = changed;
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    public static string FormatOf(string fixture) => fixture switch
    {
        Candidates2015 or Candidates2017 => "hoc-candidates",
        Constituencies2017 => "hoc-constituencies",
        _ => "ec-constituencies",
    };

    public static async Task PutElectionAsync(this ApiFixture api, string id, string? previous = null, string pollingDay = "2017-06-08")
    {
        var response = await api.Admin.PutAsJsonAsync($"/v1/elections/{id}", new { name = $"Election {id}", pollingDay, kind = "general", previousElectionId = previous }, Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT election {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    public static async Task<HttpResponseMessage> PostImportAsync(
        this HttpClient client, string electionId, string? format, byte[] body, string? source = null, string contentType = "text/csv")
    {
        var query = new List<string>();
        if (format is not null)
        {
            query.Add($"format={Uri.EscapeDataString(format)}");
        }

        if (source is not null)
        {
            query.Add($"source={Uri.EscapeDataString(source)}");
        }

        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.PostAsync($"/v1/elections/{electionId}/imports?{string.Join('&', query)}", content, Ct);
    }

    /// <summary>Imports a fixture file and insists that it succeeds.</summary>
    public static async Task<ImportSummaryDto> ImportAsync(this ApiFixture api, string electionId, string fixture)
    {
        var response = await api.Admin.PostImportAsync(electionId, FormatOf(fixture), Fixture(fixture), fixture);
        Assert.True(response.IsSuccessStatusCode, $"import {fixture}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadAsync<ImportSummaryDto>();
    }

    public static async Task<ImportTallyDto> TallyAsync(this ApiFixture api, string electionId) =>
        await (await api.Client.GetAsync($"/v1/elections/{electionId}/tally", Ct)).ReadAsync<ImportTallyDto>();

    /// <summary>Every row of every table, as text: two equal dumps mean the import changed nothing at all.</summary>
    public static Task<string> DumpDatabaseAsync(this ApiFixture api) => api.DumpAsync();
}
