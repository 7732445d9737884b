using Dapper;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.ReadModel;
using Npgsql;

namespace ElectionResults.Api.Features.Changes;

/// <summary>
/// The milestones of an election (<see cref="Milestones.Compute"/>) as the change feed and the event stream list them, per
/// snapshot (shared by every long poll and event stream that reads it): the revisions up to the snapshot's cursor in cursor
/// order. A snapshot patched after a declaration carries on from its predecessor's milestones and reads only the revisions
/// since, so a write costs a read of its own revisions, not of the whole night.
/// </summary>
public static class ChangeMilestones
{
    /// <summary>The milestones up to a cursor, and how far they were computed (to carry on from).</summary>
    /// <param name="State">Where the computation stands.</param>
    /// <param name="Read">How many of the election's revisions up to the state's cursor were read (to tell that none went since).</param>
    /// <param name="Items">The milestones as the feed lists them, in cursor order.</param>
    public sealed record Progress(MilestoneState State, long Read, IReadOnlyList<MilestoneItem> Items);

    /// <summary>Every milestone of the snapshot's election up to its cursor, in cursor order.</summary>
    public static async Task<IReadOnlyList<MilestoneItem>> OfAsync(ElectionSnapshot snapshot, NpgsqlDataSource dataSource, CancellationToken ct) =>
        snapshot.Cursor == 0 || snapshot.Seats.Count == 0
            ? []
            // Not the caller's token: the answer is shared, and one client going away must not fail it for the others.
            : (await snapshot.DerivedAsync<Progress>(nameof(ChangeMilestones), seed => LoadAsync(snapshot, seed, dataSource, CancellationToken.None), ct)).Items;

    /// <summary>The milestones after <paramref name="cursor"/>; none without reading anything when the snapshot has nothing newer.</summary>
    public static async Task<IReadOnlyList<MilestoneItem>> AfterAsync(ElectionSnapshot snapshot, long cursor, NpgsqlDataSource dataSource, CancellationToken ct) =>
        snapshot.Cursor <= cursor ? [] : (await OfAsync(snapshot, dataSource, ct)).Where(m => m.Cursor > cursor).ToArray();

    private static async Task<Progress> LoadAsync(ElectionSnapshot snapshot, Progress? seed, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        // Up to the snapshot's cursor only: writes are serialised and ids increase in commit order, so these are exactly the
        // revisions the snapshot has seen, and a milestone is never announced before its revision's change.
        const string sql = $"""
            SELECT count(*) FROM declarations WHERE election_id = @electionId AND id <= @from;

            SELECT {SnapshotLoader.RevisionRow.Columns}
            FROM declarations d
            WHERE d.election_id = @electionId AND d.id > @from AND d.id <= @upTo
            ORDER BY d.id
            """;
        // The seed applies while the election has as many seats and every revision it read is still there (a rehearsal's
        // reset removes them all).
        if (seed is not null && (seed.State.Seats != snapshot.Seats.Count || seed.State.Cursor > snapshot.Cursor))
        {
            seed = null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var (before, rows) = await ReadAsync(seed?.State.Cursor ?? 0);
        if (seed is not null && before != seed.Read)
        {
            seed = null;
            (before, rows) = await ReadAsync(0);
        }

        var revisions = rows
            .Where(r => snapshot.SeatsByCode.ContainsKey(r.ConstituencyCode))
            .Select(r => (Seat: snapshot.SeatsByCode[r.ConstituencyCode], Revision: r.ToInfo()))
            .ToArray();
        var byCursor = revisions.ToDictionary(r => r.Revision.DeclarationId);
        var wins = revisions.Select(r => new SeatWin(r.Revision.DeclarationId, r.Seat.Code, PartyOf(r.Seat, r.Revision)));
        var start = seed?.State ?? MilestoneState.Start(snapshot.Seats.Count);
        var state = Milestones.Continue(start, wins);
        var added = state.Milestones.Skip(start.Milestones.Count).Select(m =>
        {
            var (seat, revision) = byCursor[m.Cursor];
            return new MilestoneItem(m.Cursor, m.Party, snapshot.Party(m.Party).Name, m.Kind, m.Previous, m.Seats, m.Open, m.Line,
                seat.Code, seat.Name, revision.DeclaredAt, revision.PublishedAt) { IsTest = snapshot.Election.IsTest };
        });
        var read = before + rows.Count;
        // The state's cursor is the last revision applied; revisions of seats not in the snapshot were read but not applied.
        return new Progress(state with { Cursor = Math.Max(state.Cursor, rows.Count == 0 ? start.Cursor : rows[^1].Id) }, read,
            [.. seed?.Items ?? [], .. added]);

        async Task<(long Before, IReadOnlyList<SnapshotLoader.RevisionRow> Rows)> ReadAsync(long from)
        {
            using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
                sql, new { electionId = snapshot.Election.Id, from, upTo = snapshot.Cursor }, cancellationToken: ct));
            var count = await grid.ReadSingleAsync<long>();
            return (count, (await grid.ReadAsync<SnapshotLoader.RevisionRow>()).ToArray());
        }
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
