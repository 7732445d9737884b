using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ElectionResults.Api.Infrastructure.Observability;

/// <summary>
/// OpenTelemetry: the service's own meter, the runtime's, ASP.NET Core's and Kestrel's, and Npgsql's, scraped as Prometheus text on
/// <c>/metrics</c>. When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, metrics and traces are also pushed over OTLP (the
/// exporter reads the standard <c>OTEL_*</c> variables itself).
/// </summary>
public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The .NET runtime's built-in meter (garbage collections, pause time, heap, thread pool, CPU time).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    public static WebApplicationBuilder AddElectionTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ElectionMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("election-results"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ElectionMetrics.MeterName)
                    // The runtime's own meter: collections and their pause time, heap sizes, thread-pool queue length.
                    .AddMeter(RuntimeMeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddNpgsqlInstrumentation()
                    // Every scrape sees the counters as they are (the exporter would otherwise repeat its last answer for 300 ms).
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddNpgsql().AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>Prometheus text on <see cref="MetricsPath"/>: public like /health (no key), and outside the /v1 rate limits.</summary>
    public static IEndpointRouteBuilder MapElectionMetrics(this IEndpointRouteBuilder endpoints)
    {
        // The gauges report from the start, not from the first request that needs the instruments; but only once the
        // host has started, after the start-up checks (the instruments need the database's data source).
        var services = endpoints.ServiceProvider;
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => services.GetRequiredService<ElectionMetrics>());
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }
}
