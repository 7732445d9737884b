using System.Diagnostics;
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
/// reads, with conditional reads counted separately. Every response whose request a window counted says where the
/// client stands in it (<see cref="ReportingWindowLimiter"/>); a refused request gets 429 problem details with
/// Retry-After.
/// </summary>
public static class RateLimits
{
    public const string WritePolicy = "writes";

    public static IServiceCollection AddElectionRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        // The limiters learn the request they count from the accessor: ASP.NET Core's middleware hands a lease to no one.
        var accessor = new HttpContextAccessor();
        services.AddSingleton<IHttpContextAccessor>(accessor);
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
                ? RateLimitPartition.Get("w:" + WriterKey(http), _ => new ReportingWindowLimiter(settings.WritesPerMinute, TimeSpan.FromMinutes(1), accessor))
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
                    ? RateLimitPartition.Get("c:" + address, _ => new ReportingWindowLimiter(settings.ConditionalReadsPerSecond, TimeSpan.FromSeconds(1), accessor))
                    : RateLimitPartition.Get("r:" + address, _ => new ReportingWindowLimiter(settings.ReadsPerSecond, TimeSpan.FromSeconds(1), accessor));
            });
        });
        return services;
    }

    /// <summary>The key's hash (never the key) identifies a writer; requests without a key share their address's allowance.</summary>
    private static string WriterKey(HttpContext http)
    {
        var key = http.Request.Headers[ApiKeyDefaults.HeaderName].ToString();
        return key.Length is > 0 and <= 200
            ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 16)
            : "addr:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}

/// <summary>
/// A fixed window (ASP.NET Core's <see cref="FixedWindowRateLimiter"/>) that writes, on the response of each request it
/// counts or refuses, the rate-limit fields of the IETF draft "RateLimit header fields for HTTP":
/// <c>RateLimit-Limit</c> (requests per window), <c>RateLimit-Remaining</c> (left in this window after this request),
/// <c>RateLimit-Reset</c> (seconds until the window starts again) and <c>RateLimit-Policy</c> (<c>{limit};w={seconds}</c>).
/// </summary>
public sealed class ReportingWindowLimiter : RateLimiter
{
    public const string LimitHeader = "RateLimit-Limit";
    public const string RemainingHeader = "RateLimit-Remaining";
    public const string ResetHeader = "RateLimit-Reset";
    public const string PolicyHeader = "RateLimit-Policy";

    private readonly FixedWindowRateLimiter _window;
    private readonly IHttpContextAccessor _requests;
    private readonly TimeSpan _length;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly string _limit;
    private readonly string _policy;

    public ReportingWindowLimiter(int permits, TimeSpan window, IHttpContextAccessor requests)
    {
        permits = Math.Max(1, permits);
        // The window's timer starts with it, so its windows begin at _started + k × window.
        _window = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        _requests = requests;
        _length = window;
        _limit = permits.ToString(CultureInfo.InvariantCulture);
        _policy = $"{permits};w={(int)window.TotalSeconds}";
    }

    public override TimeSpan? IdleDuration => _window.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _window.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Report(_window.AttemptAcquire(permitCount));

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        Report(await _window.AcquireAsync(permitCount, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _window.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await _window.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private RateLimitLease Report(RateLimitLease lease)
    {
        if (_requests.HttpContext?.Response is { HasStarted: false } response)
        {
            var reset = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? retryAfter
                : _length - TimeSpan.FromTicks(Stopwatch.GetElapsedTime(_started).Ticks % _length.Ticks);
            var headers = response.Headers;
            headers[LimitHeader] = _limit;
            headers[RemainingHeader] = (_window.GetStatistics()?.CurrentAvailablePermits ?? 0).ToString(CultureInfo.InvariantCulture);
            headers[ResetHeader] = Math.Max(1, (long)Math.Ceiling(reset.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            headers[PolicyHeader] = _policy;
        }

        return lease;
    }
}
