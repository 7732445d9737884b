using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Database;

/// <summary>
/// Applies the numbered SQL scripts of <c>db-migrations/</c> (embedded in this assembly) with DbUp:
/// journaled in <c>public.schema_migrations</c>, one transaction per script, in file-name order.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const string ResourcePrefix = "db-migrations/";
    private const string JournalTable = "schema_migrations";

    /// <summary>Names of every migration this build carries, in the order they run.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } = typeof(Migrator).Assembly
        .GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public void Migrate()
    {
        var connectionString = dataSource.ConnectionString;
        // DbUp logs through ours: its debug lines (which include the connection string) stay below the default level.
        var log = new MicrosoftUpgradeLog(logger);
        EnsureDatabase.For.PostgresqlDatabase(connectionString, log);

        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .JournalToPostgresqlTable("public", JournalTable)
            .LogTo(log)
            .Build();

        DatabaseUpgradeResult result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
        }

        logger.LogInformation("Database schema is current ({Count} migrations).", ScriptNames.Count);
    }

    /// <summary>The migrations this build carries that the database has not applied.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT scriptname FROM public.schema_migrations
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('public.schema_migrations') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync(ct) is not true)
        {
            return ScriptNames;
        }

        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied.Add(reader.GetString(0));
        }

        return ScriptNames.Where(name => !applied.Contains(name)).ToArray();
    }
}
