using ElectionResults.Api.Infrastructure.Auth;
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
                License = new OpenApiLicense { Name = "Data: Open Parliament Licence v3.0 / Open Government Licence v3.0" },
            });
            options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyMiddleware.HeaderName,
                Description = "Writes need an API key in the `X-Api-Key` header. Roles: `admin` (keys, elections, parties, areas, constituencies, imports), `results-entry` (nominations, declarations, corrections), `reader` (reads, when they are configured as private). The bootstrap admin key is set with `Auth__AdminKey`; more keys are created with `POST /v1/api-keys`.",
            });
            options.OperationFilter<ApiKeyOperationFilter>();
            options.OperationFilter<HttpConventionsOperationFilter>();
            options.SchemaFilter<ResponsePropertiesRequiredFilter>();
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
        app.UseSwagger(options => options.RouteTemplate = "/openapi/{documentName}.{extension:regex(^(json|ya?ml)$)}");
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint($"/openapi/{DocumentName}.json", "ElectionResults v1");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "ElectionResults API";
        });
    }

    /// <summary>The v1 document as YAML, exactly as committed in <c>openapi.yaml</c>.</summary>
    public static async Task<string> RenderYamlAsync(IServiceProvider services)
    {
        var provider = services.GetRequiredService<ISwaggerProvider>();
        var document = provider.GetSwagger(DocumentName);
        await using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV3(new OpenApiYamlWriter(writer));
        return writer.ToString().ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
    }

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
            operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too many writes for this key; retry after `Retry-After` seconds (problem details)." });
        }
    }
}
