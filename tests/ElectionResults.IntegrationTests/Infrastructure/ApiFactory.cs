using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>
/// An API host whose clients check every response against openapi.yaml (<see cref="ContractValidatingHandler"/>):
/// a response that the document does not allow fails the test that received it. <see cref="WithWebHostBuilder"/>
/// keeps that for derived hosts. The host's logs go to the output of the test that uses it (<see cref="TestOutputLogging"/>).
/// </summary>
public sealed class ApiFactory(IReadOnlyList<Action<IWebHostBuilder>> configure) : WebApplicationFactory<Program>
{
    private readonly TestOutputSink _logs = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => TestOutputLogging.Add(logging, _logs));
        foreach (var action in configure)
        {
            action(builder);
        }
    }

    /// <summary>Another host with more configuration, whose clients check responses too.</summary>
    public new ApiFactory WithWebHostBuilder(Action<IWebHostBuilder> configuration) => new([.. configure, configuration]);

    private bool _kestrel;

    /// <summary>Serves on a real loopback port (the clients then talk HTTP to it, still checked).</summary>
    public new void UseKestrel(int port)
    {
        _kestrel = true;
        base.UseKestrel(port);
    }

    public new HttpClient CreateClient() => CreateClient(ClientOptions);

    public new HttpClient CreateClient(WebApplicationFactoryClientOptions options)
    {
        if (_kestrel)
        {
            using var plain = base.CreateClient(options);
            var handler = new ContractValidatingHandler { InnerHandler = new HttpClientHandler { AllowAutoRedirect = options.AllowAutoRedirect } };
            return new HttpClient(new TestOutputFollowingHandler(_logs) { InnerHandler = handler })
            {
                BaseAddress = plain.BaseAddress,
            };
        }

        var handlers = new List<DelegatingHandler> { new TestOutputFollowingHandler(_logs) };
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
