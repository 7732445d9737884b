using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// Caps request bodies: 64 KB for the JSON writes (a declaration of fifteen candidates is under 2 KB),
/// or what the endpoint declares with <see cref="IRequestSizeLimitMetadata"/> (an endpoint that
/// enforces its own limit, like imports, declares none). A body announced as larger is refused with
/// 413 before it is read; one without Content-Length fails with 413 as soon as it passes the limit.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public const long DefaultLimit = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            await next(context);
            return;
        }

        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = metadata is null ? DefaultLimit : metadata.MaxRequestBodySize;
        if (limit is not { } max)
        {
            await next(context);
            return;
        }

        if (request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Title = "Payload too large", Detail = $"This request body may be at most {max} bytes." },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = max;
        }
        else if (request.ContentLength is null)
        {
            request.Body = new LimitedReadStream(request.Body, max);
        }

        await next(context);
    }

    /// <summary>Fails a read that takes the body past the limit, as Kestrel does, for hosts without the feature.</summary>
    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        private int Count(int read)
        {
            _read += read;
            return _read > limit
                ? throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge)
                : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
