using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>Which proxies may say who the client is (<c>ForwardedHeaders__*</c>).</summary>
public sealed class ProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Comma-separated proxy addresses whose X-Forwarded-For is believed; "none" trusts nobody. Unset: loopback only.</summary>
    public string? KnownProxies { get; set; }

    /// <summary>Comma-separated networks in CIDR notation (10.0.0.0/8) whose X-Forwarded-For is believed.</summary>
    public string? KnownNetworks { get; set; }

    /// <summary>How many proxies' entries to take from the right of X-Forwarded-For (1: the one in front of the API).</summary>
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>
/// Forwarded headers: behind nginx or a CDN, the client's address comes from X-Forwarded-For (and the scheme from
/// X-Forwarded-Proto), so that the per-address read limit partitions on the client and not on the proxy. Only a known
/// proxy is believed: by default a proxy on loopback (nginx on the same host, as scripts/cluster runs it); setting
/// <c>ForwardedHeaders__KnownProxies</c> or <c>ForwardedHeaders__KnownNetworks</c> replaces that default, and
/// <c>KnownProxies=none</c> believes nobody. From any other address the header is ignored.
/// </summary>
public static class ProxySetup
{
    public static IServiceCollection AddElectionForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = Math.Max(1, settings.ForwardLimit);
            var proxies = Split(settings.KnownProxies);
            var networks = Split(settings.KnownNetworks);
            if (proxies.Length == 0 && networks.Length == 0)
            {
                return; // ASP.NET Core's default: 127.0.0.0/8 and ::1.
            }

            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Where(p => !p.Equals("none", StringComparison.OrdinalIgnoreCase)))
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address.")));
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8).")));
            }
        });
        return services;
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
