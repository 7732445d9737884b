using System.Net.Http.Json;
using System.Text;
using Dapper;
using ElectionResults.Api.Features.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>
/// One API host and one fresh database per test class (IClassFixture). Test classes run in
/// parallel, each against its own database copied from the migrated template.
/// </summary>
public sealed class ApiFixture(PostgresServer server) : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-of-some-length";

    private ApiFactory? _factory;
    private bool _demoLoaded;

    public string ConnectionString { get; private set; } = "";

    /// <summary>Settings of this fixture's own host (set before it starts), e.g. to keep it from playing replays.</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public ApiFactory Factory => _factory ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A client with no API key (a graphics poller).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client that sends the admin key in X-Api-Key.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync();
        Start();
    }

    private void Start()
    {
        _factory = CreateInstance(Settings);
        Client = _factory.CreateClient();
        Admin = _factory.CreateClient();
        Admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    /// <summary>
    /// Another API instance on the same database, as behind a load balancer: its own caches and its own
    /// change listener. The caller disposes it.
    /// </summary>
    public ApiFactory CreateInstance(IReadOnlyDictionary<string, string>? settings = null) =>
        new([builder =>
        {
            builder.UseSetting("ConnectionStrings:Elections", ConnectionString);
            builder.UseSetting("Auth:AdminKey", AdminKey);
            builder.UseSetting("Database:MigrateOnStartup", "false");
            // Suites send thousands of requests from one "address"; the rate-limit tests set their own limits.
            builder.UseSetting("RateLimits:WritesPerMinute", "1000000");
            builder.UseSetting("RateLimits:ReadsPerSecond", "1000000");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                builder.UseSetting(key, value);
            }

            builder.UseEnvironment("Testing");
        }]);

    /// <summary>
    /// Gives this class the demo night. The first call replaces the class's (still empty) database with a copy of
    /// the demo template, which the real loader filled once for the run, and restarts the host on it; a later call
    /// runs the loader again over what is there (which must change nothing).
    /// </summary>
    public async Task LoadDemoDataAsync()
    {
        if (_demoLoaded)
        {
            await Factory.Services.GetRequiredService<DemoData>().LoadAsync(TestContext.Current.CancellationToken);
            return;
        }

        _demoLoaded = true;
        await StopAsync();
        await server.DropDatabaseAsync(ConnectionString);
        ConnectionString = await server.CreateDatabaseAsync(demo: true);
        Start();
    }

    private async Task StopAsync()
    {
        Client?.Dispose();
        Admin?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            _factory = null;
        }
    }

    /// <summary>
    /// Every row of every table (the DbUp journal aside) as text, and with <paramref name="sequences"/> every
    /// sequence's position too. Two equal dumps mean that nothing was written.
    /// </summary>
    public async Task<string> DumpAsync(bool sequences = false)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await OpenConnectionAsync();
        var tables = await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
            ORDER BY table_name
            """, cancellationToken: ct));
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            var rows = await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT row(t.*)::text FROM public.\"{table}\" t ORDER BY 1", cancellationToken: ct));
            dump.Append("== ").AppendLine(table);
            foreach (var row in rows)
            {
                dump.Append(table).Append(": ").AppendLine(row);
            }
        }

        if (sequences)
        {
            var positions = await connection.QueryAsync<string>(new CommandDefinition("""
                SELECT sequencename || ' = ' || COALESCE(last_value::text, 'unused') FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1
                """, cancellationToken: ct));
            dump.AppendLine("== sequences");
            foreach (var position in positions)
            {
                dump.Append("sequence ").AppendLine(position);
            }
        }

        return dump.ToString();
    }

    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        NpgsqlConnection.ClearAllPools();
        await server.DropDatabaseAsync(ConnectionString);
    }
}

public static class HttpExtensions
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<T>(TestContext.Current.CancellationToken);
        return body ?? throw new InvalidOperationException("Empty body.");
    }
}
