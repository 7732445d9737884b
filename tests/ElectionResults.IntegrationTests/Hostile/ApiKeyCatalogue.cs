using static ElectionResults.IntegrationTests.Hostile.JsonBody;

namespace ElectionResults.IntegrationTests.Hostile;

/// <summary>Hostile requests for the API-key endpoints.</summary>
public static class ApiKeyCatalogue
{
    public const string Create = "POST /v1/api-keys";
    public const string Revoke = "DELETE /v1/api-keys/{id}";

    public static IEnumerable<HostileRequest> All(Random random)
    {
        var template = new JsonBody().Raw("name", Str("hostile-key")).Raw("role", Str("reader"));
        var text = template.ToString();
        HostileRequest Post(string name, Func<HttpContent?> content) =>
            new() { Endpoint = Create, Case = name, Method = HttpMethod.Post, Path = "/v1/api-keys", Content = content };
        HostileRequest PostJson(string name, JsonBody body) => Post(name, Bodies.Text(body.ToString()));

        // Names have a strict pattern and roles are a closed list: every one of these is a fault on its own.
        string[] badNames =
        [
            "\"\"", "\"   \"", "\" leading\"", "\"-dash\"", "\".dot\"", "\"a/b\"", "\"a\\u0000b\"", "\"a\\nb\"", "\"naïve\"", "\"a\\ud800\"",
            Str(new string('k', 101)), "null", .. Values.NotStrings, .. Values.Injections.Select(Str),
        ];
        string[] badRoles =
        [
            "\"\"", "\"Admin\"", "\"ADMIN\"", "\"root\"", "\"superuser\"", "\"admin \"", "\" admin\"", "\"results_entry\"", "\"reader,admin\"", "\"admin\\u0000\"",
            "null", .. Values.NotStrings, .. Values.Injections.Select(Str),
        ];
        foreach (var name in badNames)
        {
            yield return PostJson($"name = {HostileRequest.Shorten(name, 40)}", template.Clone().Raw("name", name));
        }

        foreach (var role in badRoles)
        {
            yield return PostJson($"role = {HostileRequest.Shorten(role, 40)}", template.Clone().Raw("role", role));
        }

        yield return PostJson("name missing", template.Clone().Remove("name"));
        yield return PostJson("role missing", template.Clone().Remove("role"));
        foreach (var field in new[] { "key", "id", "keyHash", "createdBy", "revokedAt", "$type" })
        {
            yield return PostJson($"unknown field '{field}'", template.Clone().Raw(field, Str("x")));
        }

        foreach (var (name, body) in new[] { ("empty body", ""), ("truncated", text[..^1]), ("array", "[" + text + "]"), ("null", "null"), ("trailing comma", text[..^1] + ",}") })
        {
            yield return Post(name, Bodies.Text(body));
        }

        yield return Post("Content-Type text/plain", Bodies.Text(text, "text/plain"));
        yield return Post("no Content-Type", Bodies.Text(text, null));
        yield return Post("body over 64 KB", Bodies.Generated("{\"name\":\"", 'k', 70_000, announce: true, Bodies.Json));
        yield return Post("body over 64 KB (chunked)", Bodies.Generated("{\"name\":\"", 'k', 70_000, announce: false, Bodies.Json));

        for (var i = 0; i < 10; i++)
        {
            yield return PostJson("random name and role faults", template.Clone()
                .Raw("name", badNames[random.Next(badNames.Length)]).Raw("role", badRoles[random.Next(badRoles.Length)]));
        }

        // Revoking: no key has these ids, or they are not ids at all.
        string[] ids = ["999999999", "0", "-1", "9223372036854775807", "abc", "1.5", "9223372036854775808", "1%0A", .. Values.PathInjections.Select(Uri.EscapeDataString)];
        foreach (var id in ids)
        {
            yield return new HostileRequest { Endpoint = Revoke, Case = $"id = {HostileRequest.Shorten(id, 30)}", Method = HttpMethod.Delete, Path = $"/v1/api-keys/{id}" };
        }

        yield return new HostileRequest
        {
            Endpoint = Revoke,
            Case = "body over 64 KB",
            Method = HttpMethod.Delete,
            Path = "/v1/api-keys/1",
            Content = Bodies.Generated("{", ' ', 70_000, announce: true, Bodies.Json),
        };
    }
}
