using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ElectionResults.Api.Infrastructure.OpenApi;

/// <summary>
/// Every field of a response is always sent (null when unknown), so the OpenAPI document lists them all as
/// required: client generators then produce non-optional properties. Request bodies keep their own rules.
/// </summary>
internal sealed class ResponsePropertiesRequiredFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        var type = context.Type;
        if (schema is not OpenApiSchema concrete || concrete.Properties is not { Count: > 0 } properties
            || type.Namespace?.StartsWith("ElectionResults.Api.Features", StringComparison.Ordinal) != true
            || type.Name.EndsWith("Request", StringComparison.Ordinal) || type.Name == "CandidateVote")
        {
            return;
        }

        concrete.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);
    }
}
