using Microsoft.Net.Http.Headers;

namespace ElectionResults.Api.ReadModel;

/// <summary>Entity tags in the shapes the write path uses (header strings and the framework's If-Match values), compared by <see cref="EntityTag"/>.</summary>
public static class ETags
{
    /// <summary>The strong tag of these bytes, as sent in a header (<see cref="EntityTag.ForContent(ReadOnlySpan{byte})"/>).</summary>
    public static string For(ReadOnlySpan<byte> body) => EntityTag.ForContent(body).ToString();

    /// <summary>The If-Match tags of a request (strong comparison applies); empty when the header is absent or is not a list of tags.</summary>
    public static IReadOnlyList<EntityTagHeaderValue> IfMatch(HttpRequest request) => request.GetTypedHeaders().IfMatch.ToArray();

    /// <summary>
    /// If-Match against the current ETag: <c>*</c>, or strong comparison (<see cref="EntityTagComparison.Strong"/>). A tag
    /// of a compressed coding of the same document (<c>"…-gz"</c>, <c>"…-br"</c>) names the same content, so it matches too.
    /// </summary>
    public static bool Matches(IReadOnlyList<EntityTagHeaderValue> ifMatch, string currentEtag) =>
        EntityTag.TryParse(currentEtag, out var current)
        && ifMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any)
            || (EntityTag.TryParse(tag.ToString(), out var sent) && sent.Matches(current, EntityTagComparison.Strong)));
}
