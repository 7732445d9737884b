using System.Net;
using System.Net.Http.Json;
using System.Text;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Safety;

/// <summary>
/// API key scopes × elections: a `test` key writes to test elections only, a `live` key never to a test election, an `all`
/// key (the default, as for keys made before scopes) anywhere. Refusals are 403 naming the scope; allowed writes reach the
/// endpoint (which answers 400 to the empty bodies sent here, so nothing is written).
/// </summary>
public sealed class ScopeMatrixTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CreatedKey(long Id, string Name, string Role, string Key, string Scope);

    [Fact]
    public async Task Each_scope_writes_where_it_may_and_gets_a_403_naming_it_elsewhere()
    {
        await api.LoadDemoDataAsync();
        // A test election with the 2017 seats, whose replay would start in a year (nothing is played meanwhile).
        var replay = await api.Admin.PostAsJsonAsync("/v1/elections/rehearsal-scope/replays",
            new { sourceElectionId = "ge2017", speed = 1, startAt = DateTimeOffset.UtcNow.AddYears(1) }, Ct);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);

        var keys = new Dictionary<string, string>();
        foreach (var scope in new[] { "live", "test", "all" })
        {
            var created = await (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = $"scope-{scope}", role = "admin", scope }, Ct)).ReadAsync<CreatedKey>();
            Assert.Equal(scope, created.Scope);
            keys[scope] = created.Key;
        }

        var defaulted = await (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "scope-default", role = "admin" }, Ct)).ReadAsync<CreatedKey>();
        Assert.Equal("all", defaulted.Scope);

        var writes = new (string Method, string Path, string? Election)[]
        {
            ("POST", "/v1/elections/{e}/constituencies/E14000810/declarations", "e"),
            ("PUT", "/v1/elections/{e}/constituencies/E14000810", "e"),
            ("POST", "/v1/elections/{e}/imports?format=hoc-candidates", "e"),
            ("PUT", "/v1/parties/Con", null),
        };
        var failures = new List<string>();
        foreach (var (scope, key) in keys)
        {
            foreach (var election in new[] { "ge2017", "rehearsal-scope" })
            {
                var isTest = election != "ge2017";
                foreach (var (method, template, target) in writes)
                {
                    if (target is null && election != "ge2017")
                    {
                        continue;
                    }

                    var path = template.Replace("{e}", election, StringComparison.Ordinal);
                    var allowed = scope switch
                    {
                        "all" => true,
                        "live" => target is null || !isTest,
                        _ => target is not null && isTest,
                    };
                    using var request = new HttpRequestMessage(new HttpMethod(method), path)
                    {
                        Content = path.Contains("/imports", StringComparison.Ordinal)
                            ? new StringContent("", Encoding.UTF8, "text/csv")
                            : new StringContent("{}", Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Add("X-Api-Key", key);
                    using var response = await api.Client.SendAsync(request, Ct);
                    var status = (int)response.StatusCode;
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    if (allowed ? status is 401 or 403 or >= 500 : status != 403 || !body.Contains($"scope '{scope}'", StringComparison.Ordinal))
                    {
                        failures.Add($"{scope} key, {method} {path}: {status} {body}");
                    }
                }
            }
        }

        // A live key cannot create a test election through a replay either.
        using var liveReplay = new HttpRequestMessage(HttpMethod.Post, "/v1/elections/rehearsal-new/replays")
        {
            Content = JsonContent.Create(new { sourceElectionId = "ge2017", speed = 60 }),
        };
        liveReplay.Headers.Add("X-Api-Key", keys["live"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.SendAsync(liveReplay, Ct)).StatusCode);

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task A_key_with_an_unknown_scope_is_refused()
    {
        var response = await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "scope-odd", role = "admin", scope = "staging" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadAsync<ProblemDto>()).Errors!.ContainsKey("scope"));
    }
}

/// <summary>PUT /v1/elections/{id} creates an election: what it becomes (the body's isTest) must suit the key's scope.</summary>
public sealed class ElectionCreationScopeTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CreatedKey(long Id, string Name, string Role, string Key, string Scope);

    private async Task<HttpResponseMessage> PutAsync(string key, string electionId, bool isTest)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/elections/{electionId}")
        {
            Content = JsonContent.Create(new { name = "Scope check", pollingDay = "2029-05-03", kind = "general", isTest }),
        };
        request.Headers.Add("X-Api-Key", key);
        return await api.Client.SendAsync(request, Ct);
    }

    private async Task<long> ElectionsNamedAsync(string electionId)
    {
        await using var connection = await api.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM elections WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", electionId);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task A_test_key_cannot_create_a_live_election_nor_turn_its_test_election_live()
    {
        var test = (await (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "put-election-test", role = "admin", scope = "test" }, Ct)).ReadAsync<CreatedKey>()).Key;
        var live = (await (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "put-election-live", role = "admin", scope = "live" }, Ct)).ReadAsync<CreatedKey>()).Key;

        using var refused = await PutAsync(test, "ge2029-by-test-key", isTest: false);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("scope 'test'", (await refused.ReadAsync<ProblemDto>()).Detail, StringComparison.Ordinal);
        Assert.Equal(0, await ElectionsNamedAsync("ge2029-by-test-key"));

        // Its own rehearsal is fine, but it may not flip it to live afterwards.
        using var rehearsal = await PutAsync(test, "rehearsal-by-test-key", isTest: true);
        Assert.Equal(HttpStatusCode.Created, rehearsal.StatusCode);
        using var flipped = await PutAsync(test, "rehearsal-by-test-key", isTest: false);
        Assert.Equal(HttpStatusCode.Forbidden, flipped.StatusCode);
        await using (var connection = await api.OpenConnectionAsync())
        await using (var command = new Npgsql.NpgsqlCommand("SELECT is_test FROM elections WHERE id = 'rehearsal-by-test-key'", connection))
        {
            Assert.Equal(true, await command.ExecuteScalarAsync(Ct));
        }

        // And a live key may not create a test election.
        using var liveTest = await PutAsync(live, "rehearsal-by-live-key", isTest: true);
        Assert.Equal(HttpStatusCode.Forbidden, liveTest.StatusCode);
        Assert.Equal(0, await ElectionsNamedAsync("rehearsal-by-live-key"));
    }
}
