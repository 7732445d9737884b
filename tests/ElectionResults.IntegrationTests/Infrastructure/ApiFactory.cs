using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>
/// An API host whose clients check every response against openapi.yaml (<see cref="ContractValidatingHandler"/>):
/// a response that the document does not allow fails the test that received it. <see cref="WithWebHostBuilder"/>
/// keeps that for derived hosts.
/// </summary>
public sealed class ApiFactory(IReadOnlyList<Action<IWebHostBuilder>> configure) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var action in configure)
        {
            action(builder);
        }
    }

    /// <summary>Another host with more configuration, whose clients check responses too.</summary>
    public new ApiFactory WithWebHostBuilder(Action<IWebHostBuilder> configuration) => new([.. configure, configuration]);

    public new HttpClient CreateClient() => CreateClient(new WebApplicationFactoryClientOptions());

    public new HttpClient CreateClient(WebApplicationFactoryClientOptions options)
    {
        var handlers = new List<DelegatingHandler>();
        if (options.AllowAutoRedirect)
        {
            handlers.Add(new RedirectHandler(options.MaxAutomaticRedirections));
        }

        if (options.HandleCookies)
        {
            handlers.Add(new CookieContainerHandler());
        }

        handlers.Add(new ContractValidatingHandler());
        var client = CreateDefaultClient(options.BaseAddress, [.. handlers]);
        return client;
    }
}
