using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Pages;

/// <summary>
/// The two pages of the service, served by the API itself from files embedded in the binary: <c>/live</c> (the seat bar,
/// the state of the parties, the hex map and the ticker) and <c>/desk</c> (the results desk's entry form), with their
/// scripts, styles and the hex map layout under <c>/assets/</c>. Each file is read once, sent with a strong ETag
/// (a 304 when If-None-Match names it) and <c>Cache-Control: no-cache</c>, gzip when asked for, and a content security
/// policy that lets a page load nothing from anywhere but this service.
/// </summary>
public static class PageEndpoints
{
    private const string Prefix = "pages/";

    public const string SecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".hexjson"] = "application/json",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, RenderedDocument>> Files = new(Load);

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => TypedResults.Redirect("/live")).ExcludeFromDescription();
        routes.MapGet("/live", (HttpContext http) => Send(http, "live.html")).ExcludeFromDescription();
        routes.MapGet("/desk", (HttpContext http) => Send(http, "desk.html")).ExcludeFromDescription();
        routes.MapGet("/assets/{file}", (string file, HttpContext http) => Send(http, file)).ExcludeFromDescription();
        return routes;
    }

    /// <summary>The names of the files served under <c>/assets/</c> (and the two pages).</summary>
    public static IEnumerable<string> Names => Files.Value.Keys;

    private static Task Send(HttpContext http, string name)
    {
        var response = http.Response;
        if (!Files.Value.TryGetValue(name, out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;   // the status-code pages middleware turns this into a problem document
        }

        var headers = response.Headers;
        var gzip = ContentCoding.Accepts(http.Request.Headers.AcceptEncoding, ContentCoding.Gzip);
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = SecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        if (ConditionalGet.TryNotModified(http, gzip ? file.GzipETag : file.ETag, CachePolicy.Pages))
        {
            return Task.CompletedTask;
        }

        response.ContentType = file.ContentType;
        if (!gzip)
        {
            response.ContentLength = file.Length;
            return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : file.WriteToAsync(response);
        }

        headers.ContentEncoding = ContentCoding.Gzip;
        response.ContentLength = file.Gzip.Length;
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(file.Gzip).AsTask();
    }

    private static Dictionary<string, RenderedDocument> Load()
    {
        var assembly = typeof(PageEndpoints).Assembly;
        var files = new Dictionary<string, RenderedDocument>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = new RenderedDocument(copy.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"));
        }

        return files;
    }
}
