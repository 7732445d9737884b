using System.Net;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Safety;

public sealed class ApiKeyTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record CreatedKey(long Id, string Name, string Role, string Key);

    public sealed record ListedKey(long Id, string Name, string Role, string Prefix, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

    public ValueTask InitializeAsync() => new(api.LoadDemoDataAsync());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<CreatedKey> Create(string name, string role)
    {
        var response = await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name, role }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<CreatedKey>();
    }

    private HttpClient ClientWith(string key)
    {
        var client = api.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task A_results_entry_key_declares_and_its_name_is_on_the_revision()
    {
        var key = await Create("desk-1", "results-entry");
        using var desk = ClientWith(key.Key);
        var read = await api.Client.GetAsync("/v1/elections/ge2017/constituencies/E14000533", Ct);
        var seat = await read.ReadAsync<ConstituencyDto>();
        using var correction = new HttpRequestMessage(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000533/declarations")
        {
            Content = JsonContent.Create(new { votes = seat.Candidates.Select(c => new { candidateId = c.Id, votes = c.Votes!.Value }).ToArray(), declaredAt = "2017-06-09T02:22:00+01:00", source = "desk", reason = "re-entered" }),
        };
        correction.Headers.IfMatch.Add(read.Headers.ETag!);

        Assert.Equal(HttpStatusCode.Created, (await desk.SendAsync(correction, Ct)).StatusCode);
        var revisions = await (await api.Client.GetAsync("/v1/elections/ge2017/constituencies/E14000533/revisions", Ct)).ReadAsync<RevisionListDto>();
        Assert.Equal("desk-1", revisions.Revisions[^1].EnteredBy);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PutAsJsonAsync("/v1/elections/ge2017", new { name = "x", pollingDay = "2017-06-08", kind = "general" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Keys_are_shown_once_listed_without_the_secret_and_revocable()
    {
        var key = await Create("graphics", "reader");
        Assert.StartsWith("er_", key.Key);
        Assert.True(key.Key.Length >= 40);

        var listed = await (await api.Admin.GetAsync("/v1/api-keys", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("\"graphics\"", listed);
        Assert.DoesNotContain(key.Key, listed);

        await using (var connection = await api.OpenConnectionAsync())
        {
            await using var stored = new Npgsql.NpgsqlCommand("SELECT count(*) FROM api_keys WHERE row(api_keys.*)::text LIKE '%' || @k || '%'", connection);
            stored.Parameters.AddWithValue("k", key.Key);
            Assert.Equal(0L, await stored.ExecuteScalarAsync(Ct));
        }

        var writer = await Create("desk-2", "results-entry");
        using var desk = ClientWith(writer.Key);
        var before = await desk.PostAsJsonAsync("/v1/elections/ge2017/constituencies/E14000810/candidates", new { name = "", party = "Con" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.DeleteAsync($"/v1/api-keys/{writer.Id}", Ct)).StatusCode);
        var after = await desk.PostAsJsonAsync("/v1/elections/ge2017/constituencies/E14000810/candidates", new { name = "", party = "Con" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);

        var keys = await (await api.Admin.GetAsync("/v1/api-keys", Ct)).ReadAsync<List<ListedKey>>();
        var revoked = keys.Single(k => k.Id == writer.Id);
        Assert.NotNull(revoked.RevokedAt);
        Assert.NotNull(revoked.LastUsedAt);
        Assert.Equal("admin", revoked.CreatedBy);
    }

    [Fact]
    public async Task Duplicate_names_and_bad_roles_are_refused()
    {
        await Create("unique-name", "reader");

        Assert.Equal(HttpStatusCode.Conflict, (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "unique-name", role = "reader" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "x", role = "root" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin.DeleteAsync("/v1/api-keys/999999", Ct)).StatusCode);
    }

    [Fact]
    public async Task Private_reads_need_a_key_of_any_role()
    {
        var reader = await Create("private-reader", "reader");
        await using var privateApi = api.CreateInstance(new Dictionary<string, string> { ["Auth:PublicReads"] = "false" });
        using var anonymous = privateApi.CreateClient();
        using var withKey = privateApi.CreateClient();
        withKey.DefaultRequestHeaders.Add("X-Api-Key", reader.Key);

        var refused = await anonymous.GetAsync("/v1/elections/ge2017/tally", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/v1/elections/ge2017/tally", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready", Ct)).StatusCode);
    }
}
