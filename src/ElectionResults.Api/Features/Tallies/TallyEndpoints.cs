using System.ComponentModel;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Features.TimeTravel;
using ElectionResults.Api.Infrastructure.Http;

namespace ElectionResults.Api.Features.Tallies;

public static class TallyEndpoints
{
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
            .ProducesValidationProblem()
            .WithSummary("State of the parties for the whole election")
            .WithDescription(description)
            .ProducesDocument<TallyResponse>("text/csv");

        group.MapGet("/areas/{areaId}/tally", GetAreaTally)
            .WithName(nameof(GetAreaTally))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .WithSummary("State of the parties for one area")
            .WithDescription(description)
            .ProducesDocument<TallyResponse>("text/csv");

        return group;
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult, ValidationProblem>> GetElectionTally(
        string electionId, [Description(AsOf.Description)] string? asOf, HttpRequest request, SnapshotStore snapshots, PastSnapshots past,
        DocumentSerializer documents, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryParse(asOf, out var instant, out var invalid))
        {
            return invalid!;
        }

        if (await past.StateAsync(snapshots, electionId, instant, ct) is not { } snapshot)
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        var csv = Csv.IsWanted(request);
        var now = time.GetUtcNow();
        if (instant is { } pastInstant)
        {
            // Expected declarations are counted as the clock stood at that instant.
            return new DocumentResult(snapshot.Rendered(csv ? "tally.csv" : "tally", s => Document(documents, Render(s, null, pastInstant), csv)), cacheControl: AsOf.CacheControlFor(pastInstant, now));
        }

        return snapshot.Serve(csv ? "tally.csv" : "tally", s => Document(documents, Render(s, null, now), csv), now);
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult, ValidationProblem>> GetAreaTally(
        string electionId, string areaId, [Description(AsOf.Description)] string? asOf, HttpRequest request, SnapshotStore snapshots, PastSnapshots past,
        DocumentSerializer documents, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryParse(asOf, out var instant, out var invalid))
        {
            return invalid!;
        }

        if (await past.StateAsync(snapshots, electionId, instant, ct) is not { } snapshot)
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        if (!snapshot.AreasById.TryGetValue(areaId, out var area))
        {
            return Problems.NotFound($"Election '{electionId}' has no area '{areaId}'.");
        }

        var csv = Csv.IsWanted(request);
        var now = time.GetUtcNow();
        if (instant is { } pastInstant)
        {
            return new DocumentResult(snapshot.Rendered((csv ? "tally.csv:" : "tally:") + areaId, s => Document(documents, Render(s, area, pastInstant), csv)), cacheControl: AsOf.CacheControlFor(pastInstant, now));
        }

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
            figures.Remaining, figures.RemainingExpectedByNextHour, figures.MajorityLine, parties)
        {
            AsOf = snapshot.AsOf,
        };
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
