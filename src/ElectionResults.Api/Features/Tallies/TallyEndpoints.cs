using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Infrastructure.Http;

namespace ElectionResults.Api.Features.Tallies;

public static class TallyEndpoints
{
    private static readonly string[] CsvHeader = ["party", "name", "colour", "seats", "gains", "losses", "net", "votes", "share", "shareChange"];

    public static RouteGroupBuilder MapTallies(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}").WithTags("Tallies");
        const string description = "Seats, gains, losses, net change, votes, share and share change of every party over the declared seats. Send `Accept: text/csv` for one CSV row per party (party, name, colour, seats, gains, losses, net, votes, share, shareChange).";

        group.MapGet("/tally", GetElectionTally)
            .WithName(nameof(GetElectionTally))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("State of the parties for the whole election")
            .WithDescription(description)
            .ProducesDocument<TallyResponse>("text/csv");

        group.MapGet("/areas/{areaId}/tally", GetAreaTally)
            .WithName(nameof(GetAreaTally))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("State of the parties for one area")
            .WithDescription(description)
            .ProducesDocument<TallyResponse>("text/csv");

        return group;
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult>> GetElectionTally(
        string electionId, HttpRequest request, SnapshotStore snapshots, DocumentSerializer documents, CancellationToken ct)
    {
        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        var csv = Csv.IsWanted(request);
        return snapshot.Serve(csv ? "tally.csv" : "tally", s => Document(documents, Render(s, null), csv));
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult>> GetAreaTally(
        string electionId, string areaId, HttpRequest request, SnapshotStore snapshots, DocumentSerializer documents, CancellationToken ct)
    {
        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        if (!snapshot.AreasById.TryGetValue(areaId, out var area))
        {
            return Problems.NotFound($"Election '{electionId}' has no area '{areaId}'.");
        }

        var csv = Csv.IsWanted(request);
        return snapshot.Serve((csv ? "tally.csv:" : "tally:") + areaId, s => Document(documents, Render(s, area), csv));
    }

    /// <summary>The tally document of an area (or of the whole election when <paramref name="area"/> is null).</summary>
    public static TallyResponse Render(ElectionSnapshot snapshot, AreaInfo? area)
    {
        IEnumerable<SeatState> seats = snapshot.Seats;
        if (area is not null)
        {
            var members = area.ConstituencyCodes.ToHashSet(StringComparer.Ordinal);
            seats = seats.Where(s => members.Contains(s.Code));
        }

        var figures = Tally.Compute(seats.Select(s => s.ToOutcome()).ToArray());
        var parties = figures.Parties.Select(p =>
        {
            var party = snapshot.Party(p.Party);
            return new TallyParty(p.Party, party.Name, party.Colour, p.Seats, p.Gains, p.Losses, p.Net, p.Votes, p.Share, p.ShareChange);
        }).ToArray();

        return new TallyResponse(
            snapshot.Election.Id, snapshot.Election.IsTest,
            area is null ? null : new TallyArea(area.Id, area.Name, area.Kind),
            figures.Seats, figures.Declared, figures.MajorityLine, parties);
    }

    private static RenderedDocument Document(DocumentSerializer documents, TallyResponse tally, bool csv)
    {
        if (!csv)
        {
            return documents.Render(tally);
        }

        return Csv.Render(CsvHeader, tally.Parties.Select(p => new object?[]
        {
            p.Party, p.Name, p.Colour, p.Seats, p.Gains, p.Losses, p.Net, p.Votes, p.Share, p.ShareChange,
        }));
    }
}
