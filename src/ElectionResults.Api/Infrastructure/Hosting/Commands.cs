using ElectionResults.Api.Features.Demo;
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

    private static readonly string[] Verbs = [Migrate, DemoData, OpenApi];

    /// <summary>Splits a leading verb off the arguments; the rest go to configuration.</summary>
    public static (string? Verb, string[] Arguments) Parse(string[] args) =>
        args.Length > 0 && Verbs.Contains(args[0]) ? (args[0], args[1..]) : (null, args);

    public static async Task<int> RunAsync(WebApplication app, string? verb, string[] rest)
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
