using System.ComponentModel;
using Dapper;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Features.Tallies;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.ReadModel;
using Npgsql;

namespace ElectionResults.Api.Features.TimeTravel;

public static class TimelineEndpoints
{
    private static readonly string[] CsvHeader =
        ["publishedAt", "code", "name", "revision", "kind", "status", "winnerName", "winnerParty", "result", "gain", "declared", "seats"];

    public static RouteGroupBuilder MapTimeline(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}").WithTags("Timeline");

        group.MapGet("/timeline", GetTimeline)
            .WithName(nameof(GetTimeline))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Every revision of the night in publication order, with the running state of the parties")
            .WithDescription("""
                One entry per revision (corrections, recounts and calls included), ordered by `publishedAt` then cursor, each with
                its `declaredAt` (for a replay, on the replay's virtual clock: the night's time of day on the rehearsal's night),
                its seat, `kind`, winner and result, and the state right after it: `declared` (seats with a result) and the seats per
                party (declared, drawn by lot or called). What a "race to 326" chart or an end-of-night review is drawn from.
                `area` limits it to an area's seats (and its own majority line). Send `Accept: text/csv` for one CSV row per entry
                (publishedAt, code, name, revision, kind, status, winnerName, winnerParty, result, gain, declared, seats as
                `Con 317; Lab 262; …`).
                """)
            .ProducesDocument<TimelineResponse>("text/csv");

        return group;
    }

    public static async Task<IResult> GetTimeline(
        [AsParameters] ElectionRead read, [Description("Only this area's seats (an area id of this election).")] string? area, NpgsqlDataSource dataSource)
    {
        var found = await read.CurrentAsync(area);
        if (found.Problem is { } problem)
        {
            return problem;
        }

        var csv = read.WantsCsv;
        return await read.ServeAsync(found, new TimelineKey(area, csv), async snapshot =>
        {
            // Read at least as new as the snapshot; rendered once per data version.
            var timeline = Build(snapshot, found.Area, await RevisionsAsync(dataSource, read.ElectionId, read.Http.RequestAborted));
            return csv ? RenderCsv(timeline) : read.Documents.Render(timeline);
        });
    }

    private static async Task<IReadOnlyList<RevisionInfoWithSeat>> RevisionsAsync(NpgsqlDataSource dataSource, string electionId, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {SnapshotLoader.RevisionRow.Columns}
            FROM declarations d WHERE d.election_id = @electionId
            ORDER BY d.published_at, d.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SnapshotLoader.RevisionRow>(new CommandDefinition(sql, new { electionId }, cancellationToken: ct));
        return rows.Select(r => new RevisionInfoWithSeat(r.ConstituencyCode, r.ToInfo())).ToArray();
    }

    private sealed record RevisionInfoWithSeat(string Code, RevisionInfo Revision);

    /// <summary>Replays the revisions seat by seat and takes the state of the parties after each. Pure.</summary>
    private static TimelineResponse Build(ElectionSnapshot snapshot, AreaInfo? area, IReadOnlyList<RevisionInfoWithSeat> revisions)
    {
        var members = area?.ConstituencyCodes.ToHashSet(StringComparer.Ordinal);
        var current = new Dictionary<string, RevisionOutcome>(StringComparer.Ordinal);
        var seats = new Dictionary<string, int>(StringComparer.Ordinal);
        var declared = 0;
        var entries = new List<TimelineEntry>();
        foreach (var (code, revision) in revisions)
        {
            if ((members is not null && !members.Contains(code)) || !snapshot.SeatsByCode.TryGetValue(code, out var seat))
            {
                continue;
            }

            var figures = SeatState.FiguresFor(revision, seat.Candidates, seat.Electorate, seat.Previous);
            var outcome = SeatState.OutcomeOf(revision, figures, seat.Candidates, seat.Previous)!;
            current.TryGetValue(code, out var replaced);
            if (replaced is not null)
            {
                declared -= HasResult(replaced) ? 1 : 0;
                Add(seats, SeatParty(replaced), -1);
            }

            declared += HasResult(outcome) ? 1 : 0;
            Add(seats, SeatParty(outcome), 1);
            current[code] = outcome;
            var parties = seats.Where(p => p.Value > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new TimelineSeats(p.Key, p.Value)).ToArray();
            entries.Add(new TimelineEntry(revision.DeclarationId, revision.PublishedAt, revision.DeclaredAt, code, seat.Name, revision.Number, ChangeKinds.Of(outcome, replaced),
                outcome.Status, ConstituencyDocuments.Winner(snapshot, outcome.Winner), outcome.Result, outcome.Gain, declared, parties));
        }

        var count = members?.Count ?? snapshot.Seats.Count;
        return new TimelineResponse(snapshot.Election.Id, snapshot.Election.IsTest, area is null ? null : new TallyArea(area.Id, area.Name, area.Kind),
            count, count / 2 + 1, entries);
    }

    private static bool HasResult(RevisionOutcome outcome) => outcome.Status is SeatState.DeclaredStatus or SeatState.UncontestedStatus;

    /// <summary>The party a revision gives the seat to: a result's winner, or a called winner; none otherwise (or for an undecided tie).</summary>
    private static string? SeatParty(RevisionOutcome outcome) =>
        outcome.Status is SeatState.DeclaredStatus or SeatState.UncontestedStatus or SeatState.WinnerKnownStatus ? outcome.Winner?.Party : null;

    private static void Add(Dictionary<string, int> seats, string? party, int delta)
    {
        if (party is not null)
        {
            seats[party] = seats.GetValueOrDefault(party) + delta;
        }
    }

    private static RenderedDocument RenderCsv(TimelineResponse timeline) =>
        Csv.Render(CsvHeader, timeline.Entries.Select(e => new object?[]
        {
            e.PublishedAt, e.Code, e.Name, e.Revision, e.Kind, e.Status, e.Winner?.Name, e.Winner?.Party, e.Result, e.Gain, e.Declared,
            string.Join("; ", e.Parties.Select(p => $"{p.Party} {p.Seats}")),
        }));
}
