using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ElectionResults.Api.Infrastructure.OpenApi;

public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    private const string ApiKeyScheme = "ApiKey";

    public static IServiceCollection AddElectionOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "ElectionResults API",
                Version = "v1",
                Description = ApiDescription.Text,
                License = new OpenApiLicense { Name = "Open Government Licence v3.0 (data also under the Open Parliament Licence v3.0)" },
            });
            options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyDefaults.HeaderName,
                Description = "Writes need an API key in the `X-Api-Key` header. Roles: `admin` (keys, elections, parties, areas, constituencies, imports), `results-entry` (nominations, declarations, corrections), `reader` (reads, when they are configured as private). The bootstrap admin key is set with `Auth__AdminKey`; more keys are created with `POST /v1/api-keys`.",
            });
            options.OperationFilter<ApiKeyOperationFilter>();
            options.OperationFilter<HttpConventionsOperationFilter>();
            options.SchemaFilter<ResponsePropertiesRequiredFilter>();
            options.SchemaFilter<RequestRulesSchemaFilter>();
            options.SchemaFilter<ExampleSchemaFilter>();
            // Last: documents what the pipeline answers for every operation, after the others have added theirs.
            options.OperationFilter<ContractOperationFilter>();
            options.DocumentFilter<ContractDocumentFilter>();
            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            var xml = Path.Combine(AppContext.BaseDirectory, "ElectionResults.Api.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml, includeControllerXmlComments: false);
            }
        });
        return services;
    }

    public static void UseElectionSwagger(this WebApplication app)
    {
        // The document as committed in openapi.yaml, in JSON or YAML (rendered once per process).
        var rendered = new Lazy<JsonObject>(() => Render(app.Services));
        app.MapGet("/openapi/{documentName}.{extension:regex(^(json|ya?ml)$)}", (string documentName, string extension) =>
                documentName != DocumentName ? Results.NotFound()
                : extension == "json" ? Results.Text(rendered.Value.ToJsonString(), "application/json; charset=utf-8")
                : Results.Text(ToYaml(rendered.Value), "application/yaml; charset=utf-8"))
            .ExcludeFromDescription();
        // Swagger UI's copy: the same document with the request's own origin as its only server, so "Try it out" calls the
        // instance that served the page (whatever its port or its address behind a proxy), not the committed local address.
        app.MapGet($"/swagger/{DocumentName}/swagger.json", (HttpRequest request) =>
            {
                var document = rendered.Value.DeepClone().AsObject();
                document["servers"] = new JsonArray(new JsonObject
                {
                    ["url"] = $"{request.Scheme}://{request.Host}{request.PathBase}",
                    ["description"] = "This instance",
                });
                return Results.Text(document.ToJsonString(), "application/json; charset=utf-8");
            })
            .ExcludeFromDescription();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "ElectionResults v1");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "ElectionResults API";
        });
    }

    /// <summary>The v1 document as YAML, exactly as committed in <c>openapi.yaml</c>.</summary>
    public static Task<string> RenderYamlAsync(IServiceProvider services) => Task.FromResult(ToYaml(Render(services)));

    /// <summary>
    /// The v1 document (OpenAPI 3.1) as JSON. Operations without a security requirement get an explicit
    /// <c>security: []</c> (public), which the object model cannot express.
    /// </summary>
    public static JsonObject Render(IServiceProvider services)
    {
        var document = services.GetRequiredService<ISwaggerProvider>().GetSwagger(DocumentName);
        using var json = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(json));
        var root = JsonNode.Parse(json.ToString())!.AsObject();
        foreach (var (_, item) in root["paths"]?.AsObject() ?? [])
        {
            foreach (var (method, operation) in item?.AsObject() ?? [])
            {
                if (operation is JsonObject op && method is "get" or "put" or "post" or "delete" or "patch" or "head" or "options" && !op.ContainsKey("security"))
                {
                    op["security"] = new JsonArray();
                }
            }
        }

        return root;
    }

    private static string ToYaml(JsonNode document)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        new OpenApiYamlWriter(writer).WriteAny(document);
        return writer.ToString().ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
    }

    /// <summary>
    /// An operation whose endpoint names a role's authorization policy (<see cref="RequiresRoleAttribute"/>) needs a key:
    /// its security requirement, the role in its description, 401 and 403, and 429 where the write rate limit applies.
    /// </summary>
    private sealed class ApiKeyOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<RequiresRoleAttribute>().LastOrDefault() is not { } required)
            {
                return;
            }

            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }];
            operation.Description = $"{operation.Description}\n\n**Requires an API key with the `{required.Role}` role** (or a higher one: admin ⊃ results-entry ⊃ reader).".TrimStart('\n');
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing, unknown or revoked `X-Api-Key` (problem details)." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The key's role is lower than `{required.Role}` (problem details)." });
            if (metadata.OfType<EnableRateLimitingAttribute>().LastOrDefault()?.PolicyName == RateLimits.WritePolicy)
            {
                operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too many writes for this key; retry after `Retry-After` seconds (problem details)." });
            }
        }
    }
}
