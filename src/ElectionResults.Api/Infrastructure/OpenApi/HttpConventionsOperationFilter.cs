using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ElectionResults.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents what every /v1 operation shares: conditional GETs (If-None-Match → 304, ETag and
/// Cache-Control headers), If-Match on writes, and 503 when the database cannot be reached.
/// </summary>
internal sealed class HttpConventionsOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var path = "/" + (context.ApiDescription.RelativePath ?? "");
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return;
        }

        operation.Responses ??= [];
        operation.Parameters ??= [];
        var isGet = string.Equals(context.ApiDescription.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
        if (isGet)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match",
                In = ParameterLocation.Header,
                Required = false,
                Description = "The ETag of the representation you hold. When it is still current the answer is 304 with no body.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            operation.Responses.TryAdd("304", new OpenApiResponse { Description = "Not Modified: the ETag sent in If-None-Match is still current. No body." });
            if (operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse okResponse)
            {
                okResponse.Headers ??= new Dictionary<string, IOpenApiHeader>();
                okResponse.Headers["ETag"] = new OpenApiHeader
                {
                    Description = "Strong entity tag of this representation (a hash of its bytes). Changes whenever a write changes the document.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
                okResponse.Headers["Cache-Control"] = new OpenApiHeader
                {
                    Description = "`no-cache`: caches may keep the document but must revalidate it (a cheap 304) before each use.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }
        else
        {
            operation.Responses.TryAdd("503", new OpenApiResponse { Description = "Service Unavailable: the database cannot be reached; nothing was written. Retry after the `Retry-After` seconds." });
        }
    }
}
