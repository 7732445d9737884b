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

    /// <summary>The bytes of one item of a list document, as they appear inside the list (<see cref="RenderList{T}"/>).</summary>
    public byte[] SerializeItem<T>(T item) => Serialize(item);

    /// <summary>
    /// A list document spliced from items serialised one by one (<see cref="SerializeItem{T}"/>, kept per item by the caller):
    /// <paramref name="document"/> is the document with an empty list in <paramref name="listProperty"/> (its JSON name), and
    /// the items are put in its place. The bytes are exactly those of serialising the document with the items in it, so a
    /// write that changes one item re-serialises that item alone. A long list is kept in blocks of items (<see cref="ListBlocks"/>),
    /// shared with the list's earlier renderings where no item of the block changed.
    /// </summary>
    public RenderedDocument RenderList<T>(T document, string listProperty, IReadOnlyList<byte[]> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var empty = Serialize(document);
        var marker = System.Text.Encoding.UTF8.GetBytes($"\"{listProperty}\":[]");
        var at = empty.AsSpan().IndexOf(marker);
        if (at < 0 || empty.AsSpan(at + 1).IndexOf(marker) >= 0)
        {
            throw new InvalidOperationException($"The document has no single empty '{listProperty}' list to splice the items into.");
        }

        var open = at + marker.Length - 1; // the position of ']'
        return new RenderedDocument(ListBlocks.Join(empty[..open], items, Comma, empty[open..]), JsonContentType);
    }

    private static readonly byte[] Comma = [(byte)','];
}

public static class DocumentEndpointExtensions
{
    /// <summary>
    /// Declares an endpoint that answers with a <see cref="DocumentResult"/>: its 200 body type for the
    /// OpenAPI document. A document without a <c>text/csv</c> form also declares the 406 that
    /// <see cref="NotAcceptableMiddleware"/> sends.
    /// </summary>
    public static RouteHandlerBuilder ProducesDocument<T>(this RouteHandlerBuilder builder, params string[] additionalContentTypes)
    {
        builder
            .Produces<T>(StatusCodes.Status200OK, "application/json", additionalContentTypes);
        return additionalContentTypes.Contains("text/csv") ? builder : builder.ProducesNotAcceptable();
    }

    /// <summary>Declares the 406 problem of a JSON-only document asked for as CSV (<see cref="NotAcceptableMiddleware"/>).</summary>
    public static RouteHandlerBuilder ProducesNotAcceptable(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status406NotAcceptable);
}
