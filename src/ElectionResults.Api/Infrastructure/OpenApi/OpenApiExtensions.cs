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
                Name = ApiKeyFilter.HeaderName,
                Description = "Writes need an API key in the `X-Api-Key` header. The bootstrap admin key is set with `Auth__AdminKey`.",
            });
            options.OperationFilter<ApiKeyOperationFilter>();
            options.OperationFilter<HttpConventionsOperationFilter>();
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
            if (!metadata.OfType<RequiresApiKeyAttribute>().Any())
            {
                return;
            }

            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }];
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing or invalid `X-Api-Key` (problem details)." });
        }
    }
}
