using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace ElectionResults.IntegrationTests.Hostile;

/// <summary>A write endpoint as the application maps it.</summary>
/// <param name="Method">POST, PUT, PATCH or DELETE.</param>
/// <param name="Route">The route as openapi.yaml writes it: no constraints, no trailing slash.</param>
/// <param name="Parameters">The route's parameters, in order.</param>
/// <param name="BodyType">The first media type its body may have, or null when it takes no body.</param>
public sealed record WriteEndpoint(string Method, string Route, IReadOnlyList<string> Parameters, string? BodyType)
{
    /// <summary>As openapi.yaml and the catalogues name it, e.g. <c>PUT /v1/elections/{electionId}</c>.</summary>
    public string Name => $"{Method} {Route}";
}

/// <summary>
/// The write endpoints read from the application's <see cref="EndpointDataSource"/> (so a newly mapped one is in the
/// list without anyone writing it down), and hostile requests that fit any of them: each route parameter in turn gets
/// values that name nothing (or are no identifier at all), and a body, when the endpoint takes one, is malformed. The
/// hand-made catalogues go deeper for the endpoints they know.
/// </summary>
public static class EndpointCatalogue
{
    private static readonly string[] ReadMethods = ["GET", "HEAD", "OPTIONS", "TRACE"];

    /// <summary>Values that no election, seat, area, party, candidacy or key has.</summary>
    private static readonly string[] NoSuchThing =
        ["no-such-thing", "0", "-1", "9223372036854775808", "1.5", "x y", "%", .. Values.PathInjections];

    /// <summary>What stands in for the parameters that are not the hostile one: names of the hostile world.</summary>
    private static readonly Dictionary<string, string> Plausible = new(StringComparer.Ordinal)
    {
        ["electionId"] = HostileWorld.Election,
        ["code"] = HostileWorld.Seat,
        ["areaId"] = HostileWorld.Area,
    };

    public static IReadOnlyList<WriteEndpoint> WriteEndpoints(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(method => !ReadMethods.Contains(method, StringComparer.OrdinalIgnoreCase))
                .Select(method => new WriteEndpoint(
                    method.ToUpperInvariant(),
                    Route(endpoint.RoutePattern),
                    [.. endpoint.RoutePattern.Parameters.Select(p => p.Name)],
                    endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts ? accepts.ContentTypes[0] : null)))
            .DistinctBy(e => e.Name)
            .OrderBy(e => e.Name, StringComparer.Ordinal)];

    public static IEnumerable<HostileRequest> All(IEnumerable<WriteEndpoint> endpoints) => endpoints.SelectMany(Generate);

    private static IEnumerable<HostileRequest> Generate(WriteEndpoint endpoint)
    {
        var method = new HttpMethod(endpoint.Method);
        var malformed = endpoint.BodyType is null ? null : Malformed(endpoint.BodyType).ToList();

        // One parameter at a time names nothing; with a malformed body too, when there is one.
        foreach (var parameter in endpoint.Parameters)
        {
            foreach (var value in NoSuchThing)
            {
                yield return new HostileRequest
                {
                    Endpoint = endpoint.Name,
                    Case = $"{parameter} = {HostileRequest.Shorten(value, 30)}",
                    Method = method,
                    Path = Path(endpoint, parameter, Uri.EscapeDataString(value)),
                    Content = malformed?[0].Content ?? (() => null),
                };
            }
        }

        foreach (var (name, content) in malformed ?? [])
        {
            yield return new HostileRequest { Endpoint = endpoint.Name, Case = name, Method = method, Path = Path(endpoint, null, null), Content = content };
        }
    }

    /// <summary>Bodies that no endpoint taking <paramref name="mediaType"/> may accept.</summary>
    private static IEnumerable<(string Name, Func<HttpContent?> Content)> Malformed(string mediaType)
    {
        yield return ("truncated body", Bodies.Text(mediaType == Bodies.Csv ? "\"unterminated" : "{\"name\":", mediaType));
        yield return ("empty body", Bodies.Text("", mediaType));
        yield return ("binary body", Bodies.Bytes([0xFF, 0xFE, 0x00, 0x01, 0xC3, 0x28], mediaType));
        yield return ("body with no Content-Type", Bodies.Text("{}", null));
        yield return ("Content-Type application/xml", Bodies.Text("<x/>", "application/xml"));
        yield return ("unparsable Content-Type", Bodies.Text("{}", "no/such/type;;"));
        if (mediaType != Bodies.Csv)
        {
            yield return ("JSON array", Bodies.Text("[]", mediaType));
            yield return ("JSON null", Bodies.Text("null", mediaType));
            yield return ("JSON number", Bodies.Text("42", mediaType));
        }
    }

    /// <summary>The route with <paramref name="hostile"/> for <paramref name="parameter"/> and plausible values elsewhere.</summary>
    private static string Path(WriteEndpoint endpoint, string? parameter, string? hostile)
    {
        var path = endpoint.Route;
        foreach (var name in endpoint.Parameters)
        {
            path = path.Replace($"{{{name}}}", name == parameter ? hostile : Plausible.GetValueOrDefault(name, "999999999"), StringComparison.Ordinal);
        }

        return path;
    }

    /// <summary><c>/v1/elections/{electionId}/constituencies/{code}/candidates/{candidateId:long}</c> → without the constraint (and without a trailing slash).</summary>
    private static string Route(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            _ => "",
        }))));
}
