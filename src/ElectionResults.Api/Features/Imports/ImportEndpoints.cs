using System.ComponentModel;
using System.Globalization;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Observability;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ElectionResults.Api.Features.Imports;

public static class ImportEndpoints
{
    public const string CsvMediaType = "text/csv";

    public static RouteGroupBuilder MapImports(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}/imports").WithTags("Imports")
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        group.MapPost("/", ImportResults)
            .WithName(nameof(ImportResults))
            .WithSummary("Import a results file (CSV)")
            .WithDescription("""
                Imports a published results file into an election (create the election first with `PUT /v1/elections/{electionId}`).
                Send the file itself as the body with `Content-Type: text/csv`; `format` names its layout:
                - `hoc-candidates`: the House of Commons Library's results by candidate (2015 and 2017 layouts), one row per candidate.
                  Creates what is missing (constituencies, the areas `uk`, nation, region and county, parties, candidacies) and declares
                  each seat: revision 1, or, when the stored votes differ from the file's, a new revision "figures differ from revision N".
                  Nominations already entered are matched by name and party; each candidacy created is an `added` nominations entry of
                  the change feed. A declared seat's candidates cannot change (422). A county or region named like a larger area but
                  with other seats gets its kind after its id (the metropolitan county West Midlands is `west-midlands-county`).
                - `hoc-constituencies`: the Library's constituency results. Sets each seat's electorate and records its invalid votes and
                  declaration time (UK time). A declared seat whose current revision lacks or differs in them gets a revision with the same
                  votes and these figures; a seat not declared yet gets them on its first revision. Either file may be imported first.
                - `hoc-candidates-2024`: the Library's results by candidate in its 2024 layout (Title Case headers: `ONS ID`,
                  `Party abbreviation`, `Candidate first name` ...), imported as `hoc-candidates`.
                - `hoc-constituencies-2019`: the Library's constituency results in its layout since 2019 (the 2019 and 2024 files: Title
                  Case headers, `Declaration time` day first, `13/12/2019 02:30`, UK time), imported as `hoc-constituencies`. The 2024
                  files have no declaration times: a seat declared from them is declared at the time of its import.
                - `ec-constituencies`: the Electoral Commission's 2015 constituency file. Sets each seat's electorate (its blank line and
                  grand-total line are skipped).
                - `expected-times`: expected declaration times, `ons_id,expected_declaration_time`, one row per seat, in UK local time like
                  the Library's files (`2017-06-09 02:15:00`) or ISO 8601 with an offset; an empty time clears it. Every seat must already
                  be part of the election (422 naming the lines otherwise). Sets `expectedDeclarationAt` (`expectedTimesSet` counts them).
                - `notional-results`: the election's notional previous result, the previous election's votes estimated on this election's
                  boundaries, in the layout the Library loads Rallings & Thrasher's 2019-on-2024 estimates in (no header; 16 columns, of
                  which the ONS code, column code, votes, party abbreviation and party name are read; the aggregate lines `TOTOTHV` and
                  `MAXOTHV` are left out; the five reissued Scottish codes are read as their 2024 codes). The election must have a
                  `previousElectionId` and every seat must be part of it (import its results first). From then on its gains, holds,
                  share changes and swing are measured against the notional result (`baseline.notional: true` on tallies and lists).
                  Estimates are never rewritten: a line that differs from the one stored is a 422 (`notionalLinesAdded` counts new lines).

                The Library's candidates file also gives each candidacy its ballot-paper `description` where its party name says more
                than the party ("Labour and Co-operative" gives "Labour and Co-operative Party"; the party stays `Lab`).

                Columns are found by header name. The file is read as UTF-8 (with or without a byte-order mark), or as Windows-1252 when it is
                not valid UTF-8. `source` (the file name) is recorded in each revision's source; the key's name in `enteredBy`.

                **Idempotent:** importing the same file again writes nothing (`changed: false`, `revisionsAdded: 0`). Existing parties,
                areas and constituency names are never overwritten, and a result only ever changes by adding a revision.

                **All or nothing:** one transaction. If any row is bad the answer is 422 problem details with `errorCount` and `errors`:
                `[{ line, message }]`, the first 100 in line order (the header is line 1), and nothing is written.

                **Limits:** a body over 20 MB (`Imports__MaxBytes`) gets 413 without being read (or as soon as it passes the limit when
                it has no `Content-Length`), a `Content-Type` other than `text/csv` 415, a missing or unknown `format` 400, an unknown
                election 404. The 2017 candidates file (3,304 rows) imports in well under a second.

                **Certified elections:** a certified election (`status: certified`) takes no import, 409, and nothing is written;
                an admin may withdraw the certification first (`DELETE /v1/elections/{electionId}/certification`).
                """)
            .Accepts<string>(CsvMediaType)
            // The handler enforces the import limit itself (Imports__MaxBytes), not the 64 KB cap of JSON writes.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute())
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return group;
    }

    public static async Task<Results<Ok<ImportSummary>, ProblemHttpResult, ValidationProblem>> ImportResults(
        string electionId,
        [Description("The file's layout: `hoc-candidates`, `hoc-constituencies`, `hoc-candidates-2024`, `hoc-constituencies-2019`, `ec-constituencies`, `expected-times` or `notional-results`.")] string? format,
        [Description("The file's name, recorded in each revision's source (e.g. `HoC-GE2017-results-by-candidate.csv`).")] string? source,
        HttpContext http, Importer importer, ExpectedTimesImport expectedTimes, NotionalImport notional, IOptions<ImportOptions> options, ElectionMetrics metrics, CancellationToken ct)
    {
        if (ImportFormat.Find(format) is not { } importFormat)
        {
            return Problems.Invalid("format", $"Say which layout the file has: format={ImportFormat.Names}.");
        }

        // Routing already answers 415 for other media types (the Accepts metadata); this keeps the handler honest when called directly.
        if (!IsCsv(http.Request.ContentType))
        {
            return TypedResults.Problem(
                title: "Unsupported media type",
                detail: $"Send the file as the body with Content-Type: {CsvMediaType} (this request says '{http.Request.ContentType ?? "nothing"}').",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var limit = options.Value.MaxBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        if (!await importer.ElectionExistsAsync(electionId, ct))
        {
            return Problems.NotFound($"{Problems.NoElectionDetail(electionId)} Create it first with PUT /v1/elections/{electionId}.");
        }

        var body = await ReadBodyAsync(http, limit, ct);
        if (body is null)
        {
            return TooLarge(limit);
        }

        var outcome = importFormat.Name switch
        {
            ImportFormat.ExpectedTimesName => await expectedTimes.ImportAsync(electionId, body, source, ct),
            ImportFormat.NotionalName => await notional.ImportAsync(electionId, body, source, ct),
            _ => await importer.ImportAsync(electionId, importFormat, body, source, http.User.KeyName(), ct),
        };
        if (outcome.ElectionMissing)
        {
            return Problems.NoElection(electionId);
        }

        if (outcome.Summary is not { } summary)
        {
            metrics.Imported(importFormat.Name, "rejected", 0);
            return Rejected(outcome);
        }

        metrics.Imported(importFormat.Name, summary.Changed ? "applied" : "unchanged", summary.Rows);
        WriteAuditMiddleware.Note(http, "import " + importFormat.Name, null);
        return TypedResults.Ok(summary);
    }

    /// <summary>The 422 answer: how many problems, and the first ones by line.</summary>
    public static ProblemHttpResult Rejected(ImportOutcome outcome) => TypedResults.Problem(
        title: "The file has errors",
        detail: outcome.ErrorCount == outcome.Errors.Count
            ? $"{Plural(outcome.ErrorCount, "problem")} found; nothing was imported. Line 1 is the header."
            : $"{Plural(outcome.ErrorCount, "problem")} found; the first {outcome.Errors.Count} are listed. Nothing was imported. Line 1 is the header.",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        extensions: new Dictionary<string, object?>
        {
            ["errorCount"] = outcome.ErrorCount,
            ["errors"] = outcome.Errors,
        });

    private static string Plural(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");

    private static bool IsCsv(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(CsvMediaType, StringComparison.OrdinalIgnoreCase);

    private static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        title: "Payload too large",
        detail: string.Create(CultureInfo.InvariantCulture, $"An import file may be at most {limit:N0} bytes."),
        statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>Reads the whole body, or returns null as soon as it passes <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, long limit, CancellationToken ct)
    {
        // Let the server refuse the rest of an oversized upload too (the test host has no such feature).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        var capacity = (int)Math.Min(http.Request.ContentLength ?? 64 * 1024, limit);
        using var buffer = new MemoryStream(capacity);
        var chunk = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}
