using System.Text.Json.Nodes;
using ElectionResults.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ElectionResults.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents, for every operation (today's and any added later), what the pipeline in front of the handlers can
/// answer, so that a strict client or a validating proxy accepts every response the API really sends:
/// <list type="bullet">
/// <item>400 for a malformed parameter or body; 413 and 415 on every write with a body;</item>
/// <item>401 and 403 on reads too (only when reads are configured as private), with <c>security: []</c> on public operations;</item>
/// <item>a problem-details body on every error status, and <c>Retry-After</c> on 429 and 503;</item>
/// <item>the <c>RateLimit-*</c> headers on the 2xx and 429 answers of rate-limited operations (every GET under /v1, and writes);</item>
/// <item>the response headers endpoints declare with <see cref="EndpointDocumentationExtensions.ProducesHeader"/>;</item>
/// <item><c>text/csv</c> answers as strings with their example.</item>
/// </list>
/// Runs after the other operation filters.
/// </summary>
internal sealed class ContractOperationFilter : IOperationFilter
{
    public const string ProblemContentType = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= [];
        if (string.IsNullOrWhiteSpace(operation.Description))
        {
            operation.Description = operation.Summary;
        }

        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var responses = operation.Responses;

        var hasBody = operation.RequestBody?.Content is { Count: > 0 };
        if (hasBody || operation.Parameters is { Count: > 0 })
        {
            responses.TryAdd("400", new OpenApiResponse { Description = "Bad Request: a parameter or the body is malformed or invalid; `errors` names each field and what is wrong (problem details)." });
        }

        if (hasBody)
        {
            responses.TryAdd("413", new OpenApiResponse { Description = "Payload Too Large: the body is over the endpoint's limit (64 KB for JSON writes); nothing was read or written (problem details)." });
            responses.TryAdd("415", new OpenApiResponse { Description = "Unsupported Media Type: the body's `Content-Type` (or its charset) is not one this endpoint reads; JSON writes take `application/json` in UTF-8 (problem details)." });
        }

        if (operation.Security is not { Count: > 0 })
        {
            // Public: written as `security: []` when the document is rendered (OpenApiExtensions.Render).
            operation.Security = null;
        }

        if (operation.Security is not { Count: > 0 } && ("/" + context.ApiDescription.RelativePath).StartsWith("/v1/", StringComparison.Ordinal))
        {
            responses.TryAdd("401", new OpenApiResponse { Description = "Only when reads are configured as private (`Auth__PublicReads=false`): a missing, unknown or revoked `X-Api-Key` (problem details)." });
            responses.TryAdd("403", new OpenApiResponse { Description = "Only when reads are configured as private: the key has no `reader` role or higher (problem details)." });
        }

        if (ResponseExample(operation.OperationId) is { } answer
            && responses.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).OfType<OpenApiResponse>().FirstOrDefault() is { Content: { } okContent }
            && okContent.TryGetValue("application/json", out var okJson))
        {
            okJson.Example = answer;
        }

        var limited = metadata.OfType<EnableRateLimitingAttribute>().Any()
            || (context.ApiDescription.HttpMethod == "GET" && ("/" + context.ApiDescription.RelativePath).StartsWith("/v1/", StringComparison.Ordinal));
        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        foreach (var (status, response) in responses)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            if (int.TryParse(status, out var code) && code >= 400 && concrete.Content is not { Count: > 0 })
            {
                concrete.Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = new() { Schema = problem } };
            }

            if (status is "429" or "503")
            {
                AddHeader(concrete, "Retry-After", "Seconds to wait before retrying.", required: status == "429", JsonSchemaType.Integer);
            }

            if (limited && (status.StartsWith('2') || status == "429"))
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                foreach (var name in RateLimitHeaders.Keys)
                {
                    concrete.Headers[name] = new OpenApiHeaderReference(name, context.Document);
                }
            }

            foreach (var header in metadata.OfType<ResponseHeaderMetadata>().Where(h => h.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) == status))
            {
                AddHeader(concrete, header.Name, header.Description, header.Required, JsonSchemaType.String);
            }

            if (concrete.Content is { } content && content.TryGetValue("text/csv", out var csv))
            {
                var example = metadata.OfType<CsvExampleMetadata>().LastOrDefault();
                content["text/csv"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV (RFC 4180, UTF-8): a header line, then one line per row." },
                    Example = example is null ? csv.Example : JsonValue.Create(example.Example),
                };
            }
        }
    }

    /// <summary>The rate-limit fields (IETF draft "RateLimit header fields for HTTP"), kept once under <c>components/headers</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> RateLimitHeaders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ReportingWindowLimiter.LimitHeader] = "Requests allowed in the current window of this client's limit: reads per second per client address (conditional reads have their own limit), writes per minute per API key.",
        [ReportingWindowLimiter.RemainingHeader] = "Requests left in the current window after this one (0 on a 429).",
        [ReportingWindowLimiter.ResetHeader] = "Seconds until the window starts again and `RateLimit-Remaining` is back to `RateLimit-Limit`.",
        [ReportingWindowLimiter.PolicyHeader] = "The limit as `{limit};w={window in seconds}`, e.g. `500;w=1` for reads and `600;w=60` for writes.",
    };

    /// <summary>The operation's example answer (<c>Examples/{operationId}.json</c>, embedded), if it has one.</summary>
    private static JsonNode? ResponseExample(string? operationId)
    {
        using var stream = operationId is null ? null : typeof(ContractOperationFilter).Assembly.GetManifestResourceStream($"openapi-examples/{operationId}.json");
        return stream is null ? null : JsonNode.Parse(stream);
    }

    private static void AddHeader(OpenApiResponse response, string name, string description, bool required, JsonSchemaType type)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Required = required, Schema = new OpenApiSchema { Type = type } };
    }
}
