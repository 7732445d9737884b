// scripts/bench's OutputCache probe: the framework's own answer to "serve a hot document from memory with an ETag".
//
//   dotnet OutputCacheProbe.dll --urls http://127.0.0.1:PORT --root DIR
//
// GET /NAME serves the bytes of DIR/NAME (read on a cache miss) through ASP.NET Core's output caching
// (AddOutputCache, CacheOutput), with the headers the API sends: an ETag, Cache-Control and Vary. A client that
// accepts gzip gets DIR/NAME.gz (the API's own gzip bytes) with Content-Encoding: gzip, cached as its own variant.
// The cache answers If-None-Match with 304 itself. The benchmark measures it with the same wrk runs as the API and
// nginx, so that the three can be compared on one machine in one run.
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.AddOutputCache(options =>
    options.AddPolicy("documents", policy => policy.Expire(TimeSpan.FromHours(1)).SetVaryByHeader(HeaderNames.AcceptEncoding)));

var app = builder.Build();
var root = Path.GetFullPath(app.Configuration["root"] ?? throw new InvalidOperationException("--root DIR is required"));
app.UseOutputCache();

app.MapGet("/{name}", async (string name, HttpContext http) =>
{
    var path = Path.Combine(root, name);
    if (Path.GetDirectoryName(path) != root || !File.Exists(path))
    {
        return Results.NotFound();
    }

    var gzip = http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase) && File.Exists(path + ".gz");
    var bytes = await File.ReadAllBytesAsync(gzip ? path + ".gz" : path);
    var headers = http.Response.Headers;
    headers.ETag = $"\"{Convert.ToBase64String(SHA256.HashData(bytes)[..12]).Replace('+', '-').Replace('/', '_')}\"";
    headers.CacheControl = "public, max-age=1";
    headers.Vary = "Accept, Accept-Encoding";
    if (gzip)
    {
        headers.ContentEncoding = "gzip";
    }

    return Results.Bytes(bytes, "application/json; charset=utf-8");
}).CacheOutput("documents");

app.Run();
