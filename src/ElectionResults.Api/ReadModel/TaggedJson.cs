using System.Reflection;
using ElectionResults.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace ElectionResults.Api.ReadModel;

/// <summary>Creates <see cref="TaggedJson{TValue}"/> results.</summary>
public static class TaggedJson
{
    /// <summary>
    /// A 200 JSON answer read per request (revisions, the change feed, keys, the replay), sent under the same conditional-GET
    /// rule as every document (<see cref="DocumentResult"/>): a strong ETag of its bytes, 304 when If-None-Match names it,
    /// revalidated before each use (<see cref="CachePolicy.Revalidated"/>) unless <paramref name="cacheControl"/> says
    /// otherwise (a past instant's answer is immutable).
    /// </summary>
    public static TaggedJson<TValue> Of<TValue>(TValue value, string? cacheControl = null) => new(value, cacheControl);
}

/// <summary>
/// <see cref="TaggedJson.Of"/>'s result: what <c>TypedResults.Ok</c> declares for the OpenAPI document (200 with the body
/// type), rendered to bytes once and sent as a <see cref="RenderedDocument"/> so that it is tagged like every other GET.
/// </summary>
public sealed class TaggedJson<TValue>(TValue value, string? cacheControl) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TValue>, IEndpointMetadataProvider
{
    public TValue? Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var documents = httpContext.RequestServices.GetRequiredService<DocumentSerializer>();
        return DocumentResult.Send(httpContext, documents.Render(value), CachePolicy.Revalidated.WithCacheControl(cacheControl));
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
        Justification = "IEndpointMetadataProvider's static member, as TypedResults.Ok<T> implements it.")]
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
    }
}
