using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Postgresql;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Database;

/// <summary>
/// Applies the numbered SQL scripts of <c>db-migrations/</c> (embedded in this assembly) with DbUp:
/// journaled in <c>public.schema_migrations</c>, one transaction per script, in file-name order.
/// Instances that start together take turns: the migrations run under a PostgreSQL advisory lock, so
/// one instance applies them and the others find them applied.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    /// <summary>The advisory lock key that serialises migrations on one database ("ElecMigr" as a number).</summary>
    public const long LockKey = 0x456C65634D696772;

    private const string ResourcePrefix = "db-migrations/";
    private const string JournalTable = "schema_migrations";

    /// <summary>Names of every migration this build carries, in the order they run.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } = typeof(Migrator).Assembly
        .GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Applies the pending migrations (waiting for another instance that is applying them) and returns how many it applied.</summary>
    public int Migrate()
    {
        // A session-level lock on a connection of its own: it is released below, or by PostgreSQL when the
        // connection ends (a crashed instance cannot leave it held).
        using var lockConnection = dataSource.OpenConnection();
        if (!TryLock(lockConnection))
        {
            logger.LogInformation("Another instance is applying the migrations; waiting for it.");
            using var wait = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection) { CommandTimeout = 0 };
            wait.Parameters.AddWithValue("key", LockKey);
            wait.ExecuteNonQuery();
        }

        try
        {
            // The data source keeps the password (its ConnectionString property does not), so DbUp gets the
            // data source itself. DbUp's own lines go to Debug: the summary below is the one line worth reading.
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                .WithTransactionPerScript()
                .JournalToPostgresqlTable("public", JournalTable)
                .LogTo(new DebugUpgradeLog(logger))
                .Build();

            DatabaseUpgradeResult result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
            }

            var applied = result.Scripts.Count();
            logger.LogInformation("Migrations: {Applied} applied now, {Total} in all; the schema is current.", applied, ScriptNames.Count);
            return applied;
        }
        finally
        {
            if (lockConnection.FullState == System.Data.ConnectionState.Open)
            {
                using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
                unlock.Parameters.AddWithValue("key", LockKey);
                unlock.ExecuteNonQuery();
            }
        }
    }

    private static bool TryLock(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LockKey);
        return command.ExecuteScalar() is true;
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

    /// <summary>DbUp's progress lines at Debug (one per script and step); its warnings and errors as they are.</summary>
    private sealed class DebugUpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => Write(LogLevel.Trace, null, format, args);

        public void LogDebug(string format, params object[] args) => Write(LogLevel.Debug, null, format, args);

        public void LogInformation(string format, params object[] args) => Write(LogLevel.Debug, null, format, args);

        public void LogWarning(string format, params object[] args) => Write(LogLevel.Warning, null, format, args);

        public void LogError(string format, params object[] args) => Write(LogLevel.Error, null, format, args);

        public void LogError(Exception ex, string format, params object[] args) => Write(LogLevel.Error, ex, format, args);

        private void Write(LogLevel level, Exception? ex, string format, object[] args)
        {
            if (logger.IsEnabled(level))
            {
                var message = args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
                logger.Log(level, ex, "{DbUpMessage}", message);
            }
        }
    }
}
