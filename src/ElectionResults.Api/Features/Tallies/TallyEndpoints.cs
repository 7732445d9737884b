using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.OpenApi;

namespace ElectionResults.Api.Features.Tallies;

public static class TallyEndpoints
{
    /// <summary>The first rows of the East Midlands tally of 2017, as the CSV form answers.</summary>
    private const string EastMidlandsCsv = """
        party,name,colour,seats,gains,losses,net,votes,share,shareChange
        Con,Conservative,#0087DC,31,2,3,-1,1195982,50.73,7.27
        Lab,Labour,#E4003B,15,3,2,1,954635,40.49,8.85
        LD,Liberal Democrat,#FAA61A,0,0,0,0,101612,4.31,-1.25

        """;

    private static readonly string[] CsvHeader = ["party", "name", "colour", "seats", "gains", "losses", "net", "votes", "share", "shareChange"];

    public static RouteGroupBuilder MapTallies(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}").WithTags("Tallies");
        const string description = """
            Seats, gains, losses, net change, votes, share and share change of every party over the declared seats, and where the
            night stands: `declared`, `winnerKnown` (called, figures to follow: counted in the party's seats, gains and losses but
            not in votes or share), `undecided` (tied, no lot winner), `inRecount`, `postponed`, `remaining` (neither declared, called
            nor postponed) and `remainingExpectedByNextHour` (of those, the ones expected to declare by now + 1 hour). Always:
            the parties' seats + `undecided` = `declared` + `winnerKnown`, and `declared` + `winnerKnown` + `postponed` + `remaining` = `seats`.
            Send `Accept: text/csv` for one CSV row per party (party, name, colour, seats, gains, losses, net, votes, share, shareChange).
            """;

        group.MapGet("/tally", GetElectionTally)
            .WithName(nameof(GetElectionTally))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("State of the parties for the whole election")
            .WithDescription(description)
            .ProducesDocument<TallyResponse>("text/csv")
            .WithCsvExample(EastMidlandsCsv);

        group.MapGet("/areas/{areaId}/tally", GetAreaTally)
            .WithName(nameof(GetAreaTally))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("State of the parties for one area")
            .WithDescription(description)
            .ProducesDocument<TallyResponse>("text/csv")
            .WithCsvExample(EastMidlandsCsv);

        return group;
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult>> GetElectionTally(
        string electionId, HttpRequest request, SnapshotStore snapshots, DocumentSerializer documents, TimeProvider time, CancellationToken ct)
    {
        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        var csv = Csv.IsWanted(request);
        var now = time.GetUtcNow();
        return snapshot.Serve(csv ? "tally.csv" : "tally", s => Document(documents, Render(s, null, now), csv), now);
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult>> GetAreaTally(
        string electionId, string areaId, HttpRequest request, SnapshotStore snapshots, DocumentSerializer documents, TimeProvider time, CancellationToken ct)
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
        var now = time.GetUtcNow();
        return snapshot.Serve((csv ? "tally.csv:" : "tally:") + areaId, s => Document(documents, Render(s, area, now), csv), now);
    }

    /// <summary>The tally document of an area (or of the whole election when <paramref name="area"/> is null), as of <paramref name="now"/>.</summary>
    public static (TallyResponse Tally, DateTimeOffset? ExpiresAt) Render(ElectionSnapshot snapshot, AreaInfo? area, DateTimeOffset now)
    {
        IEnumerable<SeatState> seats = snapshot.Seats;
        if (area is not null)
        {
            var members = area.ConstituencyCodes.ToHashSet(StringComparer.Ordinal);
            seats = seats.Where(s => members.Contains(s.Code));
        }

        var figures = Tally.Compute(seats.Select(s => s.ToOutcome()).ToArray(), now);
        var parties = figures.Parties.Select(p =>
        {
            var party = snapshot.Party(p.Party);
            return new TallyParty(p.Party, party.Name, party.Colour, p.Seats, p.Gains, p.Losses, p.Net, p.Votes, p.Share, p.ShareChange);
        }).ToArray();

        var tally = new TallyResponse(
            snapshot.Election.Id, snapshot.Election.IsTest,
            area is null ? null : new TallyArea(area.Id, area.Name, area.Kind),
            figures.Seats, figures.Declared, figures.WinnerKnown, figures.Undecided, figures.InRecount, figures.Postponed,
            figures.Remaining, figures.RemainingExpectedByNextHour, figures.MajorityLine, parties);
        return (tally, figures.RemainingExpectedChangesAt);
    }

    /// <summary>The document, which expires when the count of seats expected within the hour would grow with the clock alone.</summary>
    private static RenderedDocument Document(DocumentSerializer documents, (TallyResponse Tally, DateTimeOffset? ExpiresAt) rendered, bool csv)
    {
        var (tally, expiresAt) = rendered;
        if (!csv)
        {
            return documents.Render(tally, expiresAt);
        }

        // The CSV carries no time-dependent figure.
        return Csv.Render(CsvHeader, tally.Parties.Select(p => new object?[]
        {
            p.Party, p.Name, p.Colour, p.Seats, p.Gains, p.Losses, p.Net, p.Votes, p.Share, p.ShareChange,
        }));
    }
}
