using ElectionResults.Api.Features.Demo;
using ElectionResults.Api.Infrastructure.Database;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

[assembly: AssemblyFixture(typeof(ElectionResults.IntegrationTests.Infrastructure.PostgresServer))]

namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server for the whole test run: <c>ELECTIONS_TEST_DB</c> (set by scripts/test), else a
/// Testcontainers PostgreSQL when Docker answers, else a failure that says what to run. A template
/// database is migrated once; each test class gets a fresh copy of it, which takes milliseconds.
/// <para>
/// Two roles, as in production. <c>ELECTIONS_TEST_DB</c> is the operator's (it creates roles and databases);
/// the API under test runs as <see cref="AppRole"/>, an ordinary role (<c>NOSUPERUSER NOCREATEDB NOCREATEROLE</c>)
/// that owns every test database and the tables in them, and logs in over TCP with a password.
/// </para>
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "ELECTIONS_TEST_DB";
    public const string AppRole = "elections_api_test";
    private const string TemplateName = "elections_template";
    private const string DemoTemplateName = "elections_demo_template";
    private static int _counter;

    private readonly SemaphoreSlim _demoGate = new(1, 1);
    private bool _demoTemplateReady;

    private PostgreSqlContainer? _container;

    /// <summary>Connection string to the server's maintenance database, as the operator (a superuser, or CREATEDB and CREATEROLE).</summary>
    public string AdminConnectionString { get; private set; } = "";

    /// <summary>The password of <see cref="AppRole"/>, new for each run.</summary>
    public string AppPassword { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

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
                _container = new PostgreSqlBuilder("postgres:15.18").Build();
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

        // The API's role: it may log in and owns its databases, nothing more. Its password is new for each run.
        await ExecuteAsync($"""
            DO $$ BEGIN
              IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{AppRole}') THEN
                ALTER ROLE {AppRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{AppPassword}';
              ELSE
                CREATE ROLE {AppRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{AppPassword}';
              END IF;
            END $$
            """);

        // A fresh template per run, migrated by the API's role exactly as in production, so that the copies'
        // tables belong to it.
        await ExecuteAsync($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE {TemplateName} OWNER {AppRole}");
        await using (var dataSource = NpgsqlDataSource.Create(ConnectionStringFor(TemplateName)))
        {
            new Migrator(dataSource, NullLogger<Migrator>.Instance).Migrate();
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Creates a database for one test class and returns the API role's connection string to it: an empty, migrated
    /// one, or with <paramref name="demo"/> a copy of a template that holds the demo night (loaded once per run, by the
    /// real loader).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(bool demo = false)
    {
        if (demo)
        {
            await EnsureDemoTemplateAsync();
        }

        var name = NewDatabaseName();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {(demo ? DemoTemplateName : TemplateName)} OWNER {AppRole}");
        return ConnectionStringFor(name);
    }

    /// <summary>Creates a database with no schema at all, owned by the API's role, as an operator would; returns its name.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = NewDatabaseName();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE {name} OWNER {AppRole}");
        await ExecuteAsync($"REVOKE ALL ON DATABASE {name} FROM PUBLIC");
        return name;
    }

    /// <summary>A database name of this run, not in use yet (nothing creates it unless asked).</summary>
    public static string NewDatabaseName() => $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";

    private async Task EnsureDemoTemplateAsync()
    {
        await _demoGate.WaitAsync();
        try
        {
            if (_demoTemplateReady)
            {
                return;
            }

            await ExecuteAsync($"DROP DATABASE IF EXISTS {DemoTemplateName} WITH (FORCE)");
            await ExecuteAsync($"CREATE DATABASE {DemoTemplateName} TEMPLATE {TemplateName} OWNER {AppRole}");
            await using (var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
                         {
                             builder.UseSetting("ConnectionStrings:Elections", ConnectionStringFor(DemoTemplateName));
                             builder.UseSetting("Database:MigrateOnStartup", "false");
                             builder.UseEnvironment("Testing");
                         }))
            {
                await factory.Services.GetRequiredService<DemoData>().LoadAsync(CancellationToken.None);
            }

            // A template may have no open connection while it is copied.
            NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionStringFor(DemoTemplateName)));
            _demoTemplateReady = true;
        }
        finally
        {
            _demoGate.Release();
        }
    }

    public Task DropDatabaseAsync(string connectionString) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)");

    /// <summary>
    /// Stops the server (the outage tests): with scripts/test's cluster through its pg_ctl (a fast
    /// shutdown: connections are cut, new ones refused); with Testcontainers by pausing the container
    /// (connections hang instead, which exercises the timeouts).
    /// </summary>
    public Task StopAsync() => _container is not null ? _container.PauseAsync() : PgCtlAsync("stop -m fast");

    public Task StartAsync() => _container is not null ? _container.UnpauseAsync() : PgCtlAsync("start -w");

    private static async Task PgCtlAsync(string arguments)
    {
        var prefix = Environment.GetEnvironmentVariable("ELECTIONS_TEST_PGCTL");
        if (string.IsNullOrWhiteSpace(prefix))
        {
            throw new InvalidOperationException("ELECTIONS_TEST_PGCTL is not set: run the tests with scripts/test, which sets it for its cluster.");
        }

        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/bash", ["-c", $"{prefix} {arguments}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {arguments} failed ({process.ExitCode}): {output} {errors}");
        }
    }

    /// <summary>The API role's connection string to <paramref name="database"/>: TCP, with its password.</summary>
    public string ConnectionStringFor(string database) => AppConnection(database).ConnectionString;

    /// <summary>As <see cref="ConnectionStringFor"/>, as a builder to adjust.</summary>
    public NpgsqlConnectionStringBuilder AppConnection(string database) =>
        new(AdminConnectionString) { Database = database, Username = AppRole, Password = AppPassword, Pooling = true };

    /// <summary>Runs one statement as the operator in the maintenance database.</summary>
    public Task ExecuteAsAdminAsync(string sql) => ExecuteAsync(sql);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _demoGate.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
