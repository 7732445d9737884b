using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;

namespace ElectionResults.Api.Infrastructure.Http;

public static class JsonSetup
{
    /// <summary>camelCase, nulls written (a graphics client sees every documented field), unknown fields on writes rejected.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.MaxDepth = 32;
    }

    public static IServiceCollection AddElectionJson(this IServiceCollection services) =>
        services.Configure<JsonOptions>(options => Configure(options.SerializerOptions));
}
