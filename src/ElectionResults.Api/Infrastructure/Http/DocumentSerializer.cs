using System.Text.Json;
using ElectionResults.Api.ReadModel;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// Serialises a document exactly as a GET sends it, so that a write can compute the ETag a client
/// holds (If-Match) and the ETag of what it has just written.
/// </summary>
public sealed class DocumentSerializer(IOptions<JsonOptions> options)
{
    public JsonSerializerOptions Options => options.Value.SerializerOptions;

    public byte[] Serialize<T>(T document) => JsonSerializer.SerializeToUtf8Bytes(document, options.Value.SerializerOptions);

    public string ETagOf<T>(T document) => ETags.For(Serialize(document));

    /// <summary>The document rendered for serving from memory (plain, gzip and brotli, with ETags).</summary>
    public RenderedDocument Render<T>(T document) => new(Serialize(document), JsonContentType);

    /// <summary>A document that stops being current at <paramref name="expiresAt"/> although no data changes (see <see cref="RenderedDocument.ExpiresAt"/>).</summary>
    public RenderedDocument Render<T>(T document, DateTimeOffset? expiresAt) => new(Serialize(document), JsonContentType) { ExpiresAt = expiresAt };

    public const string JsonContentType = "application/json; charset=utf-8";
}

public static class DocumentEndpointExtensions
{
    /// <summary>
    /// Declares an endpoint that answers with a <see cref="DocumentResult"/>: its 200 body type for the
    /// OpenAPI document, and that it sets its own ETag (so the ETag middleware leaves it alone). A document
    /// without a <c>text/csv</c> form also declares the 406 that <see cref="NotAcceptableMiddleware"/> sends.
    /// </summary>
    public static RouteHandlerBuilder ProducesDocument<T>(this RouteHandlerBuilder builder, params string[] additionalContentTypes)
    {
        builder
            .Produces<T>(StatusCodes.Status200OK, "application/json", additionalContentTypes)
            .WithMetadata(new SelfCachingAttribute());
        return additionalContentTypes.Contains("text/csv") ? builder : builder.ProducesNotAcceptable();
    }

    /// <summary>Declares the 406 problem of a JSON-only document asked for as CSV (<see cref="NotAcceptableMiddleware"/>).</summary>
    public static RouteHandlerBuilder ProducesNotAcceptable(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status406NotAcceptable);
}
