namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>An API on its own database with the demo night loaded, shared by the tests of one class (read-only tests).</summary>
public sealed class DemoApiFixture(PostgresServer server) : IAsyncLifetime
{
    public ApiFixture Api { get; } = new(server);

    public async ValueTask InitializeAsync()
    {
        await Api.InitializeAsync();
        await Api.LoadDemoDataAsync();
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
