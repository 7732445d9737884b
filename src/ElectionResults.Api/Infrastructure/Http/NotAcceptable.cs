namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// Answers 406 (problem details) when a client asks only for CSV (<c>Accept: text/csv</c> without a JSON type, or
/// <c>?format=csv</c>) from an API document that has no CSV form, instead of sending JSON it did not ask for.
/// The documents with a CSV form declare <c>text/csv</c> among their 200 content types.
/// </summary>
public sealed class NotAcceptableMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Path.StartsWithSegments("/v1", StringComparison.Ordinal)
            && context.GetEndpoint() is { } endpoint
            && Csv.IsDemandedOnly(request)
            && !HasCsvForm(endpoint))
        {
            return TypedResults.Problem(
                title: "Not acceptable",
                detail: "This document has no CSV form; ask for application/json. CSV is served by the constituency list, the tallies and the results.",
                statusCode: StatusCodes.Status406NotAcceptable).ExecuteAsync(context);
        }

        return next(context);
    }

    private static bool HasCsvForm(Endpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>()
            .Any(m => m.StatusCode == StatusCodes.Status200OK && m.ContentTypes.Any(t => t.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase)));
}
