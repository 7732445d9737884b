using ElectionResults.Api.Features.Demo;
using ElectionResults.Api.Features.Imports;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.OpenApi;

namespace ElectionResults.Api.Infrastructure.Hosting;

/// <summary>
/// The verbs of the API binary. With no verb it serves HTTP (migrating first unless
/// <c>Database__MigrateOnStartup=false</c>).
/// </summary>
public static class Commands
{
    public const string Migrate = "migrate";
    public const string DemoData = "demo-data";
    public const string OpenApi = "openapi";
    public const string Import = "import";

    private static readonly string[] Verbs = [Migrate, DemoData, OpenApi, Import];

    /// <summary>Splits a leading verb off the arguments; the rest go to configuration.</summary>
    public static (string? Verb, string[] Arguments) Parse(string[] args) =>
        args.Length > 0 && Verbs.Contains(args[0]) ? (args[0], args[1..]) : (null, args);

    /// <summary>Exit code of a start refused for its configuration or an unusable database.</summary>
    public const int StartupFailed = 2;

    public static async Task<int> RunAsync(WebApplication app, string? verb, string[] rest)
    {
        if (verb == OpenApi)
        {
            return await RunVerbAsync(app, verb, rest);
        }

        try
        {
            // Everything else needs the database: check the configuration, then wait for PostgreSQL to answer.
            var target = StartupChecks.ConnectionString(app.Configuration);
            if (verb is null)
            {
                StartupChecks.AdminKey(app.Configuration, app.Environment);
            }

            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupChecks));
            await StartupChecks.WaitForDatabaseAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), target, app.Configuration, app.Services.GetRequiredService<TimeProvider>(), logger, app.Lifetime.ApplicationStopping);
            return await RunVerbAsync(app, verb, rest);
        }
        catch (StartupException ex)
        {
            // One line on standard error, whatever the log format: the reason the process will not start.
            await Console.Error.WriteLineAsync($"ElectionResults.Api cannot start: {ex.Message}");
            return StartupFailed;
        }
    }

    private static async Task<int> RunVerbAsync(WebApplication app, string? verb, string[] rest)
    {
        switch (verb)
        {
            case Migrate:
                app.Services.GetRequiredService<Migrator>().Migrate();
                return 0;
            case DemoData:
                app.Services.GetRequiredService<Migrator>().Migrate();
                await app.Services.GetRequiredService<DemoData>().LoadAsync(CancellationToken.None);
                return 0;
            case Import:
                // import --election ge2017 --format hoc-candidates FILE: prints the summary, or the errors and exits non-zero.
                app.Services.GetRequiredService<Migrator>().Migrate();
                return await ImportCommand.RunAsync(app.Services, rest, Console.Out, Console.Error, CancellationToken.None);
            case OpenApi:
                // openapi [FILE]: writes the v1 document as YAML (to stdout without FILE). Needs no database.
                var yaml = await OpenApiExtensions.RenderYamlAsync(app.Services);
                if (rest.Length > 0 && !rest[0].StartsWith('-'))
                {
                    await File.WriteAllTextAsync(rest[0], yaml);
                }
                else
                {
                    await Console.Out.WriteAsync(yaml);
                }

                return 0;
            default:
                if (app.Configuration.GetValue("Database:MigrateOnStartup", true))
                {
                    app.Services.GetRequiredService<Migrator>().Migrate();
                }

                await app.RunAsync();
                return 0;
        }
    }
}
