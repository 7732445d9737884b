using System.Text.Json;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// Serialises a document exactly as a GET sends it, so that a write can compute the ETag a client
/// holds (If-Match) and the ETag of what it has just written.
/// </summary>
public sealed class DocumentSerializer(IOptions<JsonOptions> options)
{
    public byte[] Serialize<T>(T document) => JsonSerializer.SerializeToUtf8Bytes(document, options.Value.SerializerOptions);

    public string ETagOf<T>(T document) => ETags.For(Serialize(document));
}
