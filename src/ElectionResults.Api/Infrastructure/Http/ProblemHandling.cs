using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using ElectionResults.Api.Infrastructure.Database;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// Turns exceptions into problem details: unreadable requests into 400, an unreachable database into
/// 503 with Retry-After, anything else into a bare 500 with no internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            // The JSON reader throws InvalidOperationException for a charset it cannot decode ("charset=nonsense").
            InvalidOperationException when HasUnknownCharset(httpContext.Request) =>
                (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "The request's charset is not one this API can read; send UTF-8."),
            // A certified election's results are frozen by the database whatever path a write takes (an import, a nomination).
            PostgresException { ConstraintName: "election_certified" } =>
                (StatusCodes.Status409Conflict, "Conflict", "The election is certified: its results are final and were not changed. An admin may withdraw the certification (DELETE /v1/elections/{electionId}/certification) first."),
            // Constraint checks in the schema back up the validators: a write they stop changed nothing.
            PostgresException { SqlState: var state } when state.StartsWith("23", StringComparison.Ordinal) =>
                (StatusCodes.Status409Conflict, "Conflict", "The request conflicts with the stored data and was not applied."),
            PostgresException { SqlState: var state } when state.StartsWith("22", StringComparison.Ordinal) =>
                (StatusCodes.Status400BadRequest, "Bad request", "A value in the request is out of range for the stored data."),
            _ when DatabaseErrors.IsUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The results database is not reachable. Retry shortly."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "The request failed. It has been logged."),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed with {Status}", httpContext.Request.Method, httpContext.Request.Path, status);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = status;
        if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } unreadable)
        {
            // Name the field and the problem, in the JSON's terms, as a validation problem does.
            var bodyType = BindingProblems.BodyType(unreadable, 
                // The exception handler runs with the endpoint cleared; the feature keeps the one that failed.
                (httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint())?.Metadata.GetMetadata<System.Reflection.MethodInfo>());
            var (field, message) = BindingProblems.Describe(unreadable, bodyType);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
                {
                    Status = status,
                    Title = "Bad request",
                    Detail = message,
                },
            });
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static bool HasUnknownCharset(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.Charset.Value is not { } charset)
        {
            return false;
        }

        try
        {
            _ = Encoding.GetEncoding(charset);
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}

/// <summary>
/// Writes problem details for every client, whatever its Accept header says. The framework's writer
/// declines a request whose Accept lists no JSON type (<c>text/html</c>, <c>text/csv</c>), which would
/// leave an error with an empty or plain-text body, and make <c>IProblemDetailsService.WriteAsync</c>
/// throw (a 500 instead of a 413 or 429). This writer comes after it and hands every such request back
/// to it, so that the document is the same for every client.
/// </summary>
public sealed class AnyAcceptProblemDetailsWriter(IServiceProvider services) : IProblemDetailsWriter
{
    private IProblemDetailsWriter? _json;

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context) => Json.WriteAsync(context);

    private IProblemDetailsWriter Json => _json ??=
        services.GetServices<IProblemDetailsWriter>().First(writer => writer is not AnyAcceptProblemDetailsWriter);
}

public static class ProblemHandlingExtensions
{
    public static IServiceCollection AddElectionProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.Remove("exception");
            // The audit line of a refused write says why, in the words the client was sent.
            Observability.WriteAuditMiddleware.NoteProblem(context.HttpContext, context.ProblemDetails);
        });
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemDetailsWriter>();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures throw so that the handler can say what was wrong with the body.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }
}
