using System.Globalization;
using ElectionResults.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace ElectionResults.Api.Infrastructure.Observability;

/// <summary>
/// One audit line per write (any request under /v1 that is not GET, HEAD or OPTIONS), in the category
/// <see cref="Category"/>: accepted writes with the key's name, the operation, the election, the seat, the revision and
/// the new ETag; refused ones with the status and the reason from the problem details that were sent. Keys, passwords and
/// bodies are never logged: only the key's name (as recorded on revisions), route values and the server's own messages.
/// Also counts the writes for <see cref="ElectionMetrics"/>. It sits outside the exception handler and everything else,
/// so it sees the final status of every refusal (401/403, 413/415, 429, validation, 409/412, 503).
/// </summary>
public sealed class WriteAuditMiddleware(RequestDelegate next, ElectionMetrics metrics, ILoggerFactory loggers)
{
    public const string Category = "ElectionResults.Audit";

    private const string OperationItem = "audit-operation";
    private const string RevisionItem = "audit-revision";
    private const string ProblemItem = "audit-problem";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    /// <summary>Names the operation more precisely than the endpoint does (a declaration or a correction) and the revision it made.</summary>
    public static void Note(HttpContext http, string operation, int? revision)
    {
        http.Items[OperationItem] = operation;
        http.Items[RevisionItem] = revision;
    }

    /// <summary>Called for every problem details document written (see ProblemHandling): the refusal's reason.</summary>
    public static void NoteProblem(HttpContext http, ProblemDetails problem) => http.Items[ProblemItem] = problem;

    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || !context.Request.Path.StartsWithSegments("/v1"))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch
        {
            Record(context, StatusCodes.Status500InternalServerError);
            throw;
        }

        Record(context, context.Response.StatusCode);
    }

    private void Record(HttpContext context, int status)
    {
        var operation = context.Items[OperationItem] as string
            ?? context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
            ?? $"{context.Request.Method} (no such endpoint)";
        var routes = context.Request.RouteValues;
        var election = routes.TryGetValue("electionId", out var e) ? Convert.ToString(e, CultureInfo.InvariantCulture) : null;
        var seat = routes.TryGetValue("code", out var c) ? Convert.ToString(c, CultureInfo.InvariantCulture) : null;
        var keyName = context.User.KeyName();
        if (status is >= 200 and < 300)
        {
            metrics.WriteAccepted(operation);
            var revision = context.Items[RevisionItem] as int?;
            var etag = context.Response.Headers.ETag.ToString();
            _logger.LogInformation(
                "Write accepted: {Operation} by key {KeyName}, election {ElectionId}, seat {Seat}, revision {Revision}, ETag {ETag}, status {Status}",
                operation, keyName, election ?? "-", seat ?? "-", revision?.ToString(CultureInfo.InvariantCulture) ?? "-", etag.Length > 0 ? etag : "-", status);
            return;
        }

        metrics.WriteRefused(status, operation);
        _logger.LogWarning(
            "Write refused: {Operation} by key {KeyName}, election {ElectionId}, seat {Seat}, status {Status}: {Reason}",
            operation, keyName, election ?? "-", seat ?? "-", status, Reason(context, status));
    }

    /// <summary>The title and detail the client was sent (with the names of invalid fields, never their values).</summary>
    private static string Reason(HttpContext context, int status)
    {
        if (context.Items[ProblemItem] is not ProblemDetails problem)
        {
            return ReasonPhrases.GetReasonPhrase(status);
        }

        var reason = string.IsNullOrEmpty(problem.Detail) ? problem.Title ?? ReasonPhrases.GetReasonPhrase(status) : $"{problem.Title}: {problem.Detail}";
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } invalid)
        {
            reason += " (fields: " + string.Join(", ", invalid.Errors.Keys) + ")";
        }

        return reason;
    }
}
