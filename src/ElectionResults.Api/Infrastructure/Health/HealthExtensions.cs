using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ElectionResults.Api.Infrastructure.Health;

public static class HealthExtensions
{
    private const string Live = "live";
    private const string Ready = "ready";

    public static IServiceCollection AddElectionHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [Live])
            // The timeout keeps /health/ready from hanging when PostgreSQL stops answering.
            .AddCheck<DatabaseReadyCheck>("database", tags: [Ready], timeout: TimeSpan.FromSeconds(3));
        return services;
    }

    public static void MapElectionHealthChecks(this WebApplication app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", (HealthCheckService checks, CancellationToken ct) => Check(checks, Live, ct))
            .WithName("GetLiveness")
            .WithSummary("Liveness: the process is up")
            .WithDescription("200 `Healthy` while the process runs. Does not touch the database. Used by the container HEALTHCHECK.");
        health.MapGet("/ready", (HealthCheckService checks, CancellationToken ct) => Check(checks, Ready, ct))
            .WithName("GetReadiness")
            .WithSummary("Readiness: PostgreSQL answers and the schema is current")
            .WithDescription("200 `Healthy` when the database answers within 3 seconds and every migration of this build is applied; otherwise 503 problem details. Details of the failure are not exposed.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Results<Ok<string>, ProblemHttpResult>> Check(HealthCheckService checks, string tag, CancellationToken ct)
    {
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains(tag), ct);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok("Healthy")
            : TypedResults.Problem(title: "Not ready", detail: "The service cannot reach its database or the schema is not current.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
