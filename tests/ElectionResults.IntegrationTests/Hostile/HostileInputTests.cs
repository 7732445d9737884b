using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Hostile;

/// <summary>
/// Thousands of generated bad requests to every write endpoint: wrong types, huge, negative and
/// overflowing numbers, unknown and duplicated candidacies, injection strings in every text field and
/// path parameter, malformed JSON and CSV, wrong content types and oversize bodies. Each must be refused
/// with a listed 4xx as problem details, and afterwards the database must be exactly as it was.
/// </summary>
public sealed class HostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>The generator's seed: the same requests on every run.</summary>
    public const int Seed = 20170608;

    private const int Parallelism = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>How many write endpoints the application had when their list was first read from it rather than written here.</summary>
    private const int KnownWriteEndpoints = 14;

    /// <summary>Every write endpoint the application maps, read from its endpoint data source; each must get its share of hostile requests.</summary>
    private IReadOnlyList<WriteEndpoint> WriteEndpoints() => EndpointCatalogue.WriteEndpoints(api.Factory.Services);

    [Fact]
    public async Task Thousands_of_hostile_writes_are_each_refused_with_a_problem_and_change_nothing()
    {
        var world = await HostileWorld.BuildAsync(api);
        var random = new Random(Seed);
        var endpoints = WriteEndpoints();
        var requests = new JsonCatalogue(world, random).All()
            .Concat(new ImportCatalogue(random).All())
            .Concat(ApiKeyCatalogue.All(random))
            .Concat(EndpointCatalogue.All(endpoints))
            .ToList();
        var before = await HostileWorld.DumpAsync(api);

        var clock = Stopwatch.StartNew();
        var results = await SendAllAsync(ApiFixture.AdminKey, requests, ProblemCheck.Allowed);
        var elapsed = clock.Elapsed;
        var after = await HostileWorld.DumpAsync(api);

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{requests.Count} hostile requests in {elapsed.TotalSeconds:F1} s (seed {Seed})."));
        output?.WriteLine(Summary(requests, results));
        foreach (var i in Enumerable.Range(0, requests.Count).Where(i => results[i].Offence is not null))
        {
            output?.WriteLine($"offender: {requests[i]} → {results[i].Offence}");
        }

        var faults = new List<string>();
        if (requests.Count < 1000)
        {
            faults.Add($"Only {requests.Count} requests were generated.");
        }

        if (endpoints.Count < KnownWriteEndpoints)
        {
            faults.Add($"Only {endpoints.Count} write endpoints were found: {string.Join(", ", endpoints.Select(e => e.Name))}.");
        }

        faults.AddRange(endpoints
            .Select(endpoint => (endpoint.Name, count: requests.Count(r => r.Endpoint == endpoint.Name)))
            .Where(e => e.count < 15)
            .Select(e => $"{e.Name} got only {e.count} hostile requests."));
        faults.AddRange(requests.Select(r => r.Endpoint).Distinct().Except(endpoints.Select(e => e.Name))
            .Select(name => $"A catalogue aims at '{name}', which the application does not map."));
        faults.AddRange(Offenders(requests, results));
        if (before != after)
        {
            faults.Add("The hostile requests changed the database:\n" + HostileWorld.Difference(before, after));
        }

        Assert.True(faults.Count == 0, string.Join('\n', faults));
    }

    [Fact]
    public async Task Writes_without_a_valid_key_are_401_problems_and_change_nothing()
    {
        var world = await HostileWorld.BuildAsync(api);
        var writes = ValidWrites(world).ToList();
        var missing = WriteEndpoints().Select(e => e.Name).Except(writes.Select(w => w.Endpoint)).ToList();
        Assert.True(missing.Count == 0, $"No valid write to send without a key for: {string.Join(", ", missing)}");

        // Every write as it would succeed with the key, and its malformed, mistyped and oversize variants.
        // A Content-Type the endpoint does not take is answered 415 by routing, before the key is looked at.
        var variants = writes.SelectMany(w =>
        {
            var mediaType = w.Endpoint == ImportCatalogue.Endpoint ? Bodies.Csv : Bodies.Json;
            return new[]
            {
                w,
                w.Method == HttpMethod.Delete ? null : new HostileRequest { Endpoint = w.Endpoint, Case = "malformed body", Method = w.Method, Path = w.Path, Content = Bodies.Text("{\"name\":", mediaType) },
                w.Method == HttpMethod.Delete ? null : new HostileRequest
                {
                    Endpoint = w.Endpoint, Case = "wrong content type", Method = w.Method, Path = w.Path, Content = Bodies.Text("<x/>", "application/xml"),
                    Allowed = [HttpStatusCode.Unauthorized, HttpStatusCode.UnsupportedMediaType],
                },
                new HostileRequest { Endpoint = w.Endpoint, Case = "body over the limit", Method = w.Method, Path = w.Path, Content = Bodies.Generated("{", ' ', 25_000_000, announce: true, mediaType) },
            };
        }).OfType<HostileRequest>().ToList();

        string?[] keys = [null, "", " ", "wrong", ApiFixture.AdminKey + " ", ApiFixture.AdminKey.ToUpperInvariant(), ApiFixture.AdminKey[..^1], "'; DROP TABLE api_keys; --", "' OR 1=1 --", new string('k', 5000)];
        var requests = keys.SelectMany(key => variants.Select(v => key is null ? v.With("X-Hostile", "no key", "no key") : v.With("X-Api-Key", key, $"key '{HostileRequest.Shorten(key, 12)}'"))).ToList();
        var before = await HostileWorld.DumpAsync(api);

        var results = await SendAllAsync(null, requests, [HttpStatusCode.Unauthorized]);
        var after = await HostileWorld.DumpAsync(api);

        TestContext.Current.TestOutputHelper?.WriteLine($"{requests.Count} requests without a valid key.");
        TestContext.Current.TestOutputHelper?.WriteLine(Summary(requests, results));
        var faults = Offenders(requests, results).ToList();
        if (before != after)
        {
            faults.Add("Requests without a valid key changed the database:\n" + HostileWorld.Difference(before, after));
        }

        Assert.True(faults.Count == 0, string.Join('\n', faults));
    }

    /// <summary>One request of each write that the admin key would make succeed.</summary>
    private static IEnumerable<HostileRequest> ValidWrites(HostileWorld world)
    {
        var seat = HostileWorld.SeatPath;
        var ids = world.SeatCandidates;
        yield return Json("PUT /v1/elections/{electionId}", HttpMethod.Put, "/v1/elections/ge2019", """{"name":"GE 2019","pollingDay":"2019-12-12","kind":"general"}""");
        yield return Json("PUT /v1/elections/{electionId}", HttpMethod.Put, $"/v1/elections/{HostileWorld.Election}", """{"name":"Renamed","pollingDay":"2019-12-12","kind":"general"}""");
        yield return Json("PUT /v1/elections/{electionId}/certification", HttpMethod.Put, $"/v1/elections/{HostileWorld.DeclaredElection}/certification", """{"source":"Returning officers"}""");
        yield return new HostileRequest { Endpoint = "DELETE /v1/elections/{electionId}/certification", Case = "withdraw", Method = HttpMethod.Delete, Path = $"/v1/elections/{HostileWorld.DeclaredElection}/certification?reason=Recount" };
        yield return Json("PUT /v1/parties/{code}", HttpMethod.Put, "/v1/parties/Con", """{"name":"Tory","colour":"#000000"}""");
        yield return Json("PUT /v1/parties/{code}", HttpMethod.Put, "/v1/parties/Hostile", """{"name":"Hostile","colour":"#000000"}""");
        yield return Json("PUT /v1/elections/{electionId}/areas/{areaId}", HttpMethod.Put, $"/v1/elections/{HostileWorld.Election}/areas/new-area", """{"name":"New","kind":"custom"}""");
        yield return Json("PUT /v1/elections/{electionId}/constituencies/{code}", HttpMethod.Put, seat, """{"name":"Renamed","electorate":1}""");
        yield return Json("POST /v1/elections/{electionId}/constituencies/{code}/candidates", HttpMethod.Post, $"{seat}/candidates", """{"name":"Dan Green","party":"Green"}""");
        yield return Json("PUT /v1/elections/{electionId}/constituencies/{code}/candidates/{candidateId}", HttpMethod.Put, $"{seat}/candidates/{ids[0]}", """{"name":"Renamed","party":"Lab"}""");
        yield return new HostileRequest { Endpoint = "DELETE /v1/elections/{electionId}/constituencies/{code}/candidates/{candidateId}", Case = "withdraw", Method = HttpMethod.Delete, Path = $"{seat}/candidates/{ids[2]}" };
        yield return Json("POST /v1/elections/{electionId}/constituencies/{code}/declarations", HttpMethod.Post, $"{seat}/declarations", string.Create(CultureInfo.InvariantCulture,
            $$"""{"votes":[{"candidateId":{{ids[0]}},"votes":1},{"candidateId":{{ids[1]}},"votes":2},{"candidateId":{{ids[2]}},"votes":3}],"declaredAt":"2019-12-13T02:00:00Z","source":"RO"}"""));
        yield return new HostileRequest
        {
            Endpoint = ImportCatalogue.Endpoint,
            Case = "import",
            Method = HttpMethod.Post,
            Path = $"/v1/elections/{HostileWorld.Election}/imports?format=ec-constituencies&source=x.csv",
            Content = Bodies.Text($"Constituency ID,Constituency Name,County,Region,Country,Electorate\n{HostileWorld.Seat},{HostileWorld.SeatName},C,R,England,1\n", Bodies.Csv),
        };
        yield return Json(ApiKeyCatalogue.Create, HttpMethod.Post, "/v1/api-keys", """{"name":"hostile-key","role":"admin"}""");
        yield return new HostileRequest { Endpoint = ApiKeyCatalogue.Revoke, Case = "revoke", Method = HttpMethod.Delete, Path = "/v1/api-keys/1" };
        var replays = $"/v1/elections/{HostileWorld.Election}-replay/replays";
        yield return Json("POST /v1/elections/{electionId}/replays", HttpMethod.Post, replays, """{"sourceElectionId":"ge2017","speed":60}""");
        yield return Json("PATCH /v1/elections/{electionId}/replays/current", HttpMethod.Patch, $"{replays}/current", """{"state":"paused"}""");
        yield return new HostileRequest { Endpoint = "DELETE /v1/elections/{electionId}/replays/current", Case = "stop", Method = HttpMethod.Delete, Path = $"{replays}/current" };
    }

    private static HostileRequest Json(string endpoint, HttpMethod method, string path, string body) =>
        new() { Endpoint = endpoint, Case = "valid", Method = method, Path = path, Content = Bodies.Text(body) };

    private sealed record Result(HttpStatusCode? Status, string? Offence);

    /// <summary>
    /// Sends every request (a few at a time) and judges each answer; exceptions and timeouts are offences too.
    /// The requests go straight to the test server, with <paramref name="key"/> as X-Api-Key like
    /// <see cref="ApiFixture.Admin"/>: the factory's own clients buffer every request body (to replay it on
    /// a redirect), which would hold the multi-gigabyte uploads in memory.
    /// </summary>
    private async Task<Result[]> SendAllAsync(string? key, List<HostileRequest> requests, IReadOnlyCollection<HttpStatusCode> allowed)
    {
        using var client = api.Factory.Server.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        var results = new Result[requests.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = Ct }, async (i, ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                using var message = requests[i].ToMessage();
                using var response = await client.SendAsync(message, timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                var offence = ProblemCheck.Problem(response.StatusCode, response.Content.Headers.ContentType, body, requests[i].Allowed ?? allowed);
                results[i] = new Result(response.StatusCode, offence is null ? null : $"{(int)response.StatusCode}: {offence}; body: {HostileRequest.Shorten(body, 300)}");
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                results[i] = new Result(null, timeout.IsCancellationRequested ? $"no answer within {RequestTimeout.TotalSeconds} s" : $"the request threw {ex.GetType().Name}: {HostileRequest.Shorten(ex.Message, 300)}");
            }
        });
        return results;
    }

    /// <summary>The requests that were not refused properly (the first 50 in full, with a count of the rest).</summary>
    private static IEnumerable<string> Offenders(List<HostileRequest> requests, Result[] results)
    {
        var offenders = Enumerable.Range(0, requests.Count).Where(i => results[i].Offence is not null).ToList();
        if (offenders.Count == 0)
        {
            yield break;
        }

        yield return string.Create(CultureInfo.InvariantCulture, $"{offenders.Count} of {requests.Count} hostile requests were not refused properly. The first 50:");
        foreach (var i in offenders.Take(50))
        {
            yield return $"- {requests[i]} → {results[i].Offence}";
        }
    }

    private static string Summary(List<HostileRequest> requests, Result[] results)
    {
        var text = new StringBuilder();
        foreach (var group in Enumerable.Range(0, requests.Count).GroupBy(i => requests[i].Endpoint).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = group.GroupBy(i => results[i].Status is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : "none").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key}×{g.Count()}");
            text.AppendLine(CultureInfo.InvariantCulture, $"{group.Count(),5}  {group.Key}  ({string.Join(", ", statuses)})");
        }

        return text.ToString();
    }
}
