using ElectionResults.Api.Infrastructure.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

[assembly: AssemblyFixture(typeof(ElectionResults.IntegrationTests.Infrastructure.PostgresServer))]

namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server for the whole test run: <c>ELECTIONS_TEST_DB</c> (set by scripts/test), else a
/// Testcontainers PostgreSQL when Docker answers, else a failure that says what to run. A template
/// database is migrated once; each test class gets a fresh copy of it, which takes milliseconds.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "ELECTIONS_TEST_DB";
    private const string TemplateName = "elections_template";
    private static int _counter;

    private PostgreSqlContainer? _container;

    /// <summary>Connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            AdminConnectionString = fromEnvironment;
        }
        else
        {
            try
            {
                _container = new PostgreSqlBuilder("postgres:15.10").Build();
                await _container.StartAsync();
                AdminConnectionString = _container.GetConnectionString();
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    $"No test database: {EnvironmentVariable} is not set and Docker is not available ({ex.GetType().Name}). " +
                    "Run the tests with scripts/test, which starts a throwaway PostgreSQL and sets it.", ex);
            }
        }

        // A fresh template per run: migrations are applied exactly as in production.
        await ExecuteAsync($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE {TemplateName}");
        await using (var dataSource = NpgsqlDataSource.Create(ConnectionStringFor(TemplateName)))
        {
            new Migrator(dataSource, NullLogger<Migrator>.Instance).Migrate();
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Creates an empty, migrated database for one test class and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {TemplateName}");
        return ConnectionStringFor(name);
    }

    public Task DropDatabaseAsync(string connectionString) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)");

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, Pooling = true }.ConnectionString;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
