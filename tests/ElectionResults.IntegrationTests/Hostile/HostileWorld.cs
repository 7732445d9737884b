using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Hostile;

/// <summary>
/// The state the hostile requests are aimed at: the demo night (every seat declared; Mansfield with two
/// revisions) plus, built through the API, an election with one seat that is nominated but not declared,
/// so that body mutations reach the validators, the candidacy checks and the database rather than an
/// early 409. Building it is idempotent: each test of the class may call it.
/// </summary>
public sealed class HostileWorld
{
    public const string Election = "hostile-night";
    public const string ElectionName = "Hostile night";
    public const string Area = "hostile-patch";
    public const string AreaName = "Hostile patch";
    public const string Seat = "E99000001";
    public const string SeatName = "Hostile Seat";
    public const long Electorate = 70000;

    /// <summary>A declared seat of the demo night (Mansfield, corrected once).</summary>
    public const string DeclaredElection = "ge2017";
    public const string DeclaredSeat = "E14000810";

    public static readonly (string Name, string Party)[] Nominees = [("Ann Con", "Con"), ("Bob Lab", "Lab"), ("Cat LD", "LD")];

    private HostileWorld(long[] seatCandidates, long[] declaredCandidates, string declaredETag)
    {
        SeatCandidates = seatCandidates;
        DeclaredCandidates = declaredCandidates;
        DeclaredETag = declaredETag;
    }

    /// <summary>The three candidacies of the undeclared seat, in <see cref="Nominees"/> order.</summary>
    public long[] SeatCandidates { get; }

    /// <summary>The candidacies of the declared seat.</summary>
    public long[] DeclaredCandidates { get; }

    /// <summary>The declared seat's current ETag (what a correction would send in If-Match).</summary>
    public string DeclaredETag { get; }

    public static string SeatPath => $"/v1/elections/{Election}/constituencies/{Seat}";

    public static string DeclaredPath => $"/v1/elections/{DeclaredElection}/constituencies/{DeclaredSeat}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<HostileWorld> BuildAsync(ApiFixture api)
    {
        await api.LoadDemoDataAsync();
        await Put(api, $"/v1/elections/{Election}", new { name = ElectionName, pollingDay = "2019-12-12", kind = "general", previousElectionId = DeclaredElection, isTest = false });
        await Put(api, $"/v1/elections/{Election}/areas/{Area}", new { name = AreaName, kind = "custom" });
        await Put(api, SeatPath, new { name = SeatName, electorate = Electorate, areas = new[] { Area } });

        var seat = await api.Client.GetFromJsonAsync<ConstituencyDto>(SeatPath, Ct) ?? throw new InvalidOperationException("No seat.");
        if (seat.Candidates.Count == 0)
        {
            foreach (var (name, party) in Nominees)
            {
                var created = await api.Admin.PostAsJsonAsync($"{SeatPath}/candidates", new { name, party }, Ct);
                Assert.True(created.IsSuccessStatusCode, $"nominate {name}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(Ct)}");
            }

            seat = await api.Client.GetFromJsonAsync<ConstituencyDto>(SeatPath, Ct) ?? throw new InvalidOperationException("No seat.");
        }

        Assert.Equal("notDeclared", seat.Status);
        var ids = Nominees.Select(n => seat.Candidates.Single(c => c.Name == n.Name && c.Party == n.Party).Id).ToArray();

        var declared = await api.Client.GetAsync(DeclaredPath, Ct);
        declared.EnsureSuccessStatusCode();
        var document = await declared.ReadAsync<ConstituencyDto>();
        Assert.Equal("declared", document.Status);
        return new HostileWorld(ids, document.Candidates.Select(c => c.Id).ToArray(), declared.Headers.ETag!.ToString());
    }

    private static async Task Put(ApiFixture api, string path, object body)
    {
        var response = await api.Admin.PutAsJsonAsync(path, body, Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>
    /// Every row of every table (the DbUp journal aside) and every sequence's position, as text. Two equal
    /// dumps mean that nothing was written, not even a data_version bump or a consumed identity value.
    /// </summary>
    public static Task<string> DumpAsync(ApiFixture api) => api.DumpAsync(sequences: true);

    /// <summary>The lines that differ between two dumps, for the failure message.</summary>
    public static string Difference(string before, string after)
    {
        var a = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var b = after.Split('\n').ToHashSet(StringComparer.Ordinal);
        var lines = a.Except(b).Select(l => "- " + l).Concat(b.Except(a).Select(l => "+ " + l)).Take(40);
        return string.Join('\n', lines.Select(l => HostileRequest.Shorten(l, 300)));
    }
}
