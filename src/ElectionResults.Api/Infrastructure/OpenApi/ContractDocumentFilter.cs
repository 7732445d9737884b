using ElectionResults.Api.Infrastructure.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ElectionResults.Api.Infrastructure.OpenApi;

/// <summary>
/// What the whole document needs for strict tools: a server, the data licence's SPDX identifier, a description for
/// every tag, and nullable references in the OpenAPI 3.1 form (<c>oneOf: [$ref, {type: 'null'}]</c>) instead of
/// <c>allOf</c> beside a <c>null</c> type, which no JSON-schema validator reads as "this object or null".
/// </summary>
internal sealed class ContractDocumentFilter : IDocumentFilter
{
    /// <summary>What each tag groups. A tag used by an operation and missing here fails the OpenAPI tests.</summary>
    public static readonly IReadOnlyDictionary<string, string> TagDescriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["API keys"] = "Keys for writers and private readers, with their roles (admin only). A key is shown once, when it is created.",
        ["Areas"] = "Groups of constituencies (nations, regions, counties, custom areas such as a broadcaster's patch), each with its own tally.",
        ["Candidates"] = "Nominations: the candidacies standing in a constituency at an election.",
        ["Changes"] = "What changed since a cursor: a change feed (with long polling) and the same as server-sent events.",
        ["Constituencies"] = "Constituency documents (the current result with every candidacy and the computed figures) and lists of them.",
        ["Declarations"] = "Results as declared, corrected, recounted, postponed or retracted: each is a revision, and every revision stays readable.",
        ["Elections"] = "General elections and by-elections, and the previous election each is compared with.",
        ["Health"] = "Liveness and readiness probes for load balancers and orchestrators.",
        ["Imports"] = "Bulk loads of published results files (House of Commons Library, Electoral Commission) and of expected declaration times.",
        ["Parties"] = "Parties with their display name, label and colours.",
        ["Replays"] = "Rehearsals: a past night played into a test election at any speed, through the same write path as the desk.",
        ["Tallies"] = "The state of the parties: seats, gains, losses, votes and shares over the declared seats of an election or an area.",
        ["Timeline"] = "Every revision of a night in publication order, with the running state of the parties after each.",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Servers = [new OpenApiServer { Url = "http://127.0.0.1:8080", Description = "A local instance (`scripts/run`); use your deployment's address." }];
        if (swaggerDoc.Info.License is { } license)
        {
            license.Identifier = "OGL-UK-3.0";
        }

        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.Headers = ContractOperationFilter.RateLimitHeaders.ToDictionary(
            h => h.Key,
            h => (IOpenApiHeader)new OpenApiHeader { Description = h.Value, Required = true, Schema = new OpenApiSchema { Type = h.Key == ReportingWindowLimiter.PolicyHeader ? JsonSchemaType.String : JsonSchemaType.Integer } },
            StringComparer.Ordinal);

        var used = swaggerDoc.Paths.Values
            .SelectMany(path => (IEnumerable<OpenApiOperation>?)path.Operations?.Values ?? [])
            .SelectMany(operation => operation.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(tag => tag.Name)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        swaggerDoc.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = TagDescriptions.GetValueOrDefault(name),
        }));

        foreach (var schema in swaggerDoc.Components?.Schemas?.Values ?? [])
        {
            NullableReferences(schema);
        }

        foreach (var operation in swaggerDoc.Paths.Values.SelectMany(path => (IEnumerable<OpenApiOperation>?)path.Operations?.Values ?? []))
        {
            foreach (var media in (operation.RequestBody?.Content?.Values ?? []).Concat(((IEnumerable<IOpenApiResponse>?)operation.Responses?.Values ?? []).SelectMany(r => r.Content?.Values ?? [])))
            {
                if (media.Schema is { } schema)
                {
                    NullableReferences(schema);
                }
            }
        }
    }

    /// <summary><c>allOf: [$ref]</c> with a null type becomes <c>oneOf: [$ref, {type: 'null'}]</c>, all the way down.</summary>
    private static void NullableReferences(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        if (concrete.AllOf is { Count: 1 } allOf && concrete.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        {
            concrete.OneOf = [allOf[0], new OpenApiSchema { Type = JsonSchemaType.Null }];
            concrete.AllOf = null;
            concrete.Type = null;
        }

        foreach (var property in concrete.Properties?.Values ?? [])
        {
            NullableReferences(property);
        }

        if (concrete.Items is { } items)
        {
            NullableReferences(items);
        }

        if (concrete.AdditionalProperties is { } additional)
        {
            NullableReferences(additional);
        }
    }
}
