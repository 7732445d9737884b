using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>
/// openapi.yaml as a contract that every response must meet: its status is documented for the operation, the
/// headers documented as required are there, its media type is documented, and a JSON body is valid against the
/// documented schema (JSON Schema 2020-12, as OpenAPI 3.1 uses, with JsonSchema.Net). Requests to paths the
/// document does not describe (pages, probes, made-up paths) are not checked.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly Lazy<OpenApiContract> Committed = new(() => Load(Path.Combine(RepositoryRoot(), "openapi.yaml")));

    private readonly JsonObject _document;
    private readonly (Regex Pattern, int Literals, string Template)[] _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private OpenApiContract(JsonObject document)
    {
        _document = document;
        _paths = (document["paths"]?.AsObject() ?? []).Select(p => p.Key)
            .Select(template => (new Regex("^" + Regex.Replace(Regex.Escape(template).Replace("\\{", "{", StringComparison.Ordinal), "{[^}]+}", "[^/]+") + "/?$"),
                Regex.Replace(template, "{[^}]+}", "").Length, template))
            .OrderByDescending(p => p.Item2)
            .ToArray();
    }

    /// <summary>The committed openapi.yaml.</summary>
    public static OpenApiContract Instance => Committed.Value;

    public static OpenApiContract Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        return new OpenApiContract(ToJson(yaml.Documents[0].RootNode)!.AsObject());
    }

    /// <summary>Every way in which the response breaks the document; empty when it meets it.</summary>
    public IReadOnlyList<string> Check(HttpMethod method, Uri uri, HttpStatusCode status, IReadOnlyDictionary<string, string> headers, string? contentType, byte[]? body)
    {
        var path = uri.AbsolutePath;
        var match = _paths.FirstOrDefault(p => p.Pattern.IsMatch(path));
        if (match.Template is null || _document["paths"]![match.Template]![method.Method.ToLowerInvariant()] is not JsonObject operation)
        {
            return [];
        }

        var name = $"{method.Method} {match.Template}";
        var code = ((int)status).ToString(CultureInfo.InvariantCulture);
        var responses = operation["responses"]?.AsObject();
        if ((responses?[code] ?? responses?["default"]) is not JsonObject response)
        {
            return [$"{name}: status {code} is not documented (documented: {string.Join(", ", responses?.Select(r => r.Key) ?? [])})."];
        }

        var errors = new List<string>();
        foreach (var (header, spec) in response["headers"]?.AsObject() ?? [])
        {
            if (spec?["required"]?.GetValue<bool>() == true && !headers.ContainsKey(header))
            {
                errors.Add($"{name} {code}: the required header {header} is missing.");
            }
        }

        var content = response["content"]?.AsObject();
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (body is not { Length: > 0 } || mediaType is null || method == HttpMethod.Head || status == HttpStatusCode.NotModified)
        {
            return errors;
        }

        if (content is null || content[mediaType] is not JsonObject media)
        {
            errors.Add($"{name} {code}: the media type {mediaType} is not documented (documented: {string.Join(", ", content?.Select(c => c.Key) ?? [])}).");
            return errors;
        }

        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || media["schema"] is not JsonObject schemaNode)
        {
            return errors;
        }

        JsonElement instance;
        try
        {
            using var parsed = JsonDocument.Parse(body);
            instance = parsed.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            errors.Add($"{name} {code}: the body is not JSON ({ex.Message}).");
            return errors;
        }

        var schema = _schemas.GetOrAdd($"{name} {code} {mediaType}", _ => Compile(schemaNode));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var details = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} (schema {d.EvaluationPath})"))
                .Take(10);
            errors.Add($"{name} {code}: the body does not match its schema:\n  " + string.Join("\n  ", details) + "\n  body: " + Truncate(body));
        }

        return errors;
    }

    /// <summary>The operation's schema as a standalone 2020-12 schema, with the document's component schemas as $defs.</summary>
    private JsonSchema Compile(JsonObject schema)
    {
        var standalone = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["allOf"] = new JsonArray(Rewrite(schema)),
            ["$defs"] = Rewrite(_document["components"]?["schemas"] ?? new JsonObject()),
        };
        return JsonSchema.FromText(standalone.ToJsonString(), new BuildOptions(), new Uri($"https://contract.invalid/{Guid.NewGuid():N}"));
    }

    private static JsonNode Rewrite(JsonNode node)
    {
        var text = node.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        return JsonNode.Parse(text)!;
    }

    private static string Truncate(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length > 600 ? text[..600] + "…" : text;
    }

    /// <summary>YAML to JSON: quoted scalars are strings; plain ones are null, booleans or numbers when they read as such.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar when scalar.Style is YamlDotNet.Core.ScalarStyle.Plain => scalar.Value switch
        {
            null or "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var v when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            var v when Regex.IsMatch(v, @"^-?\d+(\.\d+)?([eE][-+]?\d+)?$") => JsonValue.Create(decimal.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)),
            var v => JsonValue.Create(v),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => null,
    };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ElectionResults.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (ElectionResults.sln).");
    }
}

/// <summary>A response that openapi.yaml does not allow.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// Checks every response that passes through it against <see cref="OpenApiContract"/> and throws
/// <see cref="ContractViolationException"/>, failing the test that sent the request. Streams (server-sent events)
/// and bodies that are not JSON are checked for status, headers and media type only.
/// </summary>
public sealed class ContractValidatingHandler(OpenApiContract? contract = null) : DelegatingHandler
{
    private readonly OpenApiContract _contract = contract ?? OpenApiContract.Instance;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        // A request the client gave up on has no answer to check (the test host reports it as 499).
        cancellationToken.ThrowIfCancellationRequested();
        if ((int)response.StatusCode == 499)
        {
            return response;
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        byte[]? body = null;
        if (contentType?.Split(';')[0].Trim().EndsWith("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = Decode(await response.Content.ReadAsByteArrayAsync(cancellationToken), response.Content.Headers.ContentEncoding);
        }

        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(",", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var errors = _contract.Check(request.Method, request.RequestUri!, response.StatusCode, headers, contentType, body);
        if (errors.Count > 0)
        {
            throw new ContractViolationException("The response breaks openapi.yaml:\n" + string.Join("\n", errors));
        }

        return response;
    }

    /// <summary>The body as sent before its last content coding (gzip or brotli); the body itself when it has none.</summary>
    internal static byte[] Decode(byte[] body, ICollection<string> encodings)
    {
        if (encodings.Count == 0)
        {
            return body;
        }

        using var input = new MemoryStream(body);
        using Stream decoder = encodings.Last() switch
        {
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            _ => input,
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
