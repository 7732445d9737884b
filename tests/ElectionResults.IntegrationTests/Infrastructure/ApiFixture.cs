using System.Net.Http.Json;
using ElectionResults.Api.Features.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>
/// One API host and one fresh database per test class (IClassFixture). Test classes run in
/// parallel, each against its own database copied from the migrated template.
/// </summary>
public sealed class ApiFixture(PostgresServer server) : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key";

    private WebApplicationFactory<Program>? _factory;

    public string ConnectionString { get; private set; } = "";

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A client with no API key (a graphics poller).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client that sends the admin key in X-Api-Key.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync();
        _factory = CreateInstance();
        Client = _factory.CreateClient();
        Admin = _factory.CreateClient();
        Admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    /// <summary>
    /// Another API instance on the same database, as behind a load balancer: its own caches and its own
    /// change listener. The caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> CreateInstance(IReadOnlyDictionary<string, string>? settings = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
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
        });

    /// <summary>Loads the East Midlands demo night into this class's database.</summary>
    public Task LoadDemoDataAsync() => Factory.Services.GetRequiredService<DemoData>().LoadAsync(TestContext.Current.CancellationToken);

    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        Admin?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

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
