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
            operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too Many Requests from this client address; retry after `Retry-After` seconds (problem details). Requests with If-None-Match have their own, larger allowance." });
            operation.Responses.TryAdd("503", new OpenApiResponse { Description = "Service Unavailable: the database cannot be reached and this instance has no copy of the document yet; retry after `Retry-After` seconds." });
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
                    Description = "`public, max-age=1` for documents served from memory (a cache may reuse them for a second), `no-cache` for the others (revalidate before each use: a cheap 304).",
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
