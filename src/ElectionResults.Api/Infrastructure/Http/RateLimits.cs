using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using ElectionResults.Api.Infrastructure.Auth;

namespace ElectionResults.Api.Infrastructure.Http;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off only for benchmarks and load tests.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Writes per minute per API key (per client address for requests without a key).</summary>
    public int WritesPerMinute { get; set; } = 600;

    /// <summary>Unconditional GETs per second per client address.</summary>
    public int ReadsPerSecond { get; set; } = 500;

    /// <summary>GETs that carry If-None-Match, per second per client address: most become cheap 304s, so they get their own, larger allowance and are not starved by full reads.</summary>
    public int ConditionalReadsPerSecond { get; set; } = 5000;
}

/// <summary>
/// ASP.NET Core's rate limiter: a fixed window per API key for writes, and per client address for
/// reads, with conditional reads counted separately. A refused request gets 429 problem details with
/// Retry-After.
/// </summary>
public static class RateLimits
{
    public const string WritePolicy = "writes";

    public static IServiceCollection AddElectionRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Rate limit reached; retry after {retryAfter} s.",
                    },
                });
            };

            options.AddPolicy(WritePolicy, http => settings.Enabled
                ? RateLimitPartition.GetFixedWindowLimiter("w:" + WriterKey(http), _ => Window(settings.WritesPerMinute, TimeSpan.FromMinutes(1)))
                : RateLimitPartition.GetNoLimiter("off"));

            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var request = http.Request;
                if (!settings.Enabled || !HttpMethods.IsGet(request.Method) || !request.Path.StartsWithSegments("/v1"))
                {
                    return RateLimitPartition.GetNoLimiter("none");
                }

                var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return request.Headers.IfNoneMatch.Count > 0
                    ? RateLimitPartition.GetFixedWindowLimiter("c:" + address, _ => Window(settings.ConditionalReadsPerSecond, TimeSpan.FromSeconds(1)))
                    : RateLimitPartition.GetFixedWindowLimiter("r:" + address, _ => Window(settings.ReadsPerSecond, TimeSpan.FromSeconds(1)));
            });
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>The key's hash (never the key) identifies a writer; requests without a key share their address's allowance.</summary>
    private static string WriterKey(HttpContext http)
    {
        var key = http.Request.Headers[ApiKeyDefaults.HeaderName].ToString();
        return key.Length is > 0 and <= 200
            ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 16)
            : "addr:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
