using Dapper;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.ReadModel;
using Npgsql;

namespace ElectionResults.Api.Features.Changes;

/// <summary>
/// The milestones of an election (<see cref="Milestones.Compute"/>) as the change feed and the event stream list them:
/// every revision up to the snapshot's cursor read once, in cursor order, per snapshot (shared by every long poll and
/// event stream that reads it).
/// </summary>
public static class ChangeMilestones
{
    /// <summary>Every milestone of the snapshot's election up to its cursor, in cursor order.</summary>
    public static Task<IReadOnlyList<MilestoneItem>> OfAsync(ElectionSnapshot snapshot, NpgsqlDataSource dataSource, CancellationToken ct) =>
        snapshot.Cursor == 0 || snapshot.Seats.Count == 0
            ? Task.FromResult<IReadOnlyList<MilestoneItem>>([])
            // Not the caller's token: the answer is shared, and one client going away must not fail it for the others.
            : snapshot.DerivedAsync(nameof(ChangeMilestones), () => LoadAsync(snapshot, dataSource, CancellationToken.None), ct);

    /// <summary>The milestones after <paramref name="cursor"/>; none without reading anything when the snapshot has nothing newer.</summary>
    public static async Task<IReadOnlyList<MilestoneItem>> AfterAsync(ElectionSnapshot snapshot, long cursor, NpgsqlDataSource dataSource, CancellationToken ct) =>
        snapshot.Cursor <= cursor ? [] : (await OfAsync(snapshot, dataSource, ct)).Where(m => m.Cursor > cursor).ToArray();

    private static async Task<IReadOnlyList<MilestoneItem>> LoadAsync(ElectionSnapshot snapshot, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        // Up to the snapshot's cursor only: writes are serialised and ids increase in commit order, so these are exactly the
        // revisions the snapshot has seen, and a milestone is never announced before its revision's change.
        const string sql = $"""
            SELECT {SnapshotLoader.RevisionRow.Columns}
            FROM declarations d
            WHERE d.election_id = @electionId AND d.id <= @upTo
            ORDER BY d.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SnapshotLoader.RevisionRow>(
            new CommandDefinition(sql, new { electionId = snapshot.Election.Id, upTo = snapshot.Cursor }, cancellationToken: ct));
        var revisions = rows
            .Where(r => snapshot.SeatsByCode.ContainsKey(r.ConstituencyCode))
            .Select(r => (Seat: snapshot.SeatsByCode[r.ConstituencyCode], Revision: r.ToInfo()))
            .ToArray();
        var byCursor = revisions.ToDictionary(r => r.Revision.DeclarationId);
        var wins = revisions.Select(r => new SeatWin(r.Revision.DeclarationId, r.Seat.Code, PartyOf(r.Seat, r.Revision)));
        return Milestones.Compute(snapshot.Seats.Count, wins)
            .Select(m =>
            {
                var (seat, revision) = byCursor[m.Cursor];
                return new MilestoneItem(m.Cursor, m.Party, snapshot.Party(m.Party).Name, m.Kind, m.Previous, m.Seats, m.Open, m.Line,
                    seat.Code, seat.Name, revision.DeclaredAt, revision.PublishedAt) { IsTest = snapshot.Election.IsTest };
            })
            .ToArray();
    }

    /// <summary>
    /// The party a revision gives its seat to, as the tallies count it: a result's winner (elected, or drawn by lot), or a called
    /// winner; none for any other status or an undecided tie.
    /// </summary>
    private static string? PartyOf(SeatState seat, RevisionInfo revision)
    {
        if (revision.Status is not (SeatState.DeclaredStatus or SeatState.UncontestedStatus or SeatState.WinnerKnownStatus))
        {
            return null;
        }

        var figures = SeatState.FiguresFor(revision, seat.Candidates, seat.Electorate, seat.Previous);
        return SeatState.OutcomeOf(revision, figures, seat.Candidates, seat.Previous)?.Winner?.Party;
    }
}
