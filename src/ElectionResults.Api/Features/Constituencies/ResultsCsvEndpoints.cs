using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Constituencies;

/// <summary>Every candidacy's result as one CSV, for spreadsheets: for a whole election or one area.</summary>
public static class ResultsCsvEndpoints
{
    private static readonly string[] Header =
        ["code", "constituency", "status", "candidate", "party", "partyName", "votes", "share", "shareChange", "elected"];

    public static RouteGroupBuilder MapResultsCsv(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}").WithTags("Constituencies");
        const string description = """
            `text/csv` only: one row per candidacy, seats ordered by name and candidates as in the constituency document (most
            votes first). Columns: code (ONS), constituency, status, candidate, party (code), partyName, votes, share, shareChange
            (percentage points), elected. `votes`, `share` and `shareChange` are empty where the constituency document has null
            (no result yet, a recount, an uncontested seat, no previous result). Served whatever the `Accept` header says.
            """;

        group.MapGet("/results", GetElectionResults)
            .WithName(nameof(GetElectionResults))
            .WithSummary("Every candidate's result in the election, as CSV")
            .WithDescription(description)
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/areas/{areaId}/results", GetAreaResults)
            .WithName(nameof(GetAreaResults))
            .WithSummary("Every candidate's result in one area, as CSV")
            .WithDescription(description)
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    public static async Task<IResult> GetElectionResults([AsParameters] ElectionRead read)
    {
        var found = await read.CurrentAsync();
        return found.Problem ?? read.Serve(found, new ResultsCsvKey(null), s => Render(s, s.Seats));
    }

    public static async Task<IResult> GetAreaResults([AsParameters] ElectionRead read, string areaId)
    {
        var found = await read.CurrentAsync(areaId);
        if (found.Problem is { } problem)
        {
            return problem;
        }

        var members = found.Area!.ConstituencyCodes.ToHashSet(StringComparer.Ordinal);
        return read.Serve(found, new ResultsCsvKey(areaId), s => Render(s, s.Seats.Where(seat => members.Contains(seat.Code))));
    }

    /// <summary>The rows of the given seats, taken from their constituency documents so that both always agree.</summary>
    public static RenderedDocument Render(ElectionSnapshot snapshot, IEnumerable<SeatState> seats) =>
        Csv.Render(Header, seats.SelectMany(seat =>
        {
            var document = ConstituencyDocuments.Render(snapshot, seat);
            return document.Candidates.Select(c => new object?[]
            {
                document.Code, document.Name, document.Status, c.Name, c.Party, c.PartyName, c.Votes, c.Share, c.ShareChange, c.Elected,
            });
        }));
}
