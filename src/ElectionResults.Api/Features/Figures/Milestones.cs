namespace ElectionResults.Api.Features.Figures;

/// <summary>One revision as input to <see cref="Milestones.Compute"/>: what it did to its seat.</summary>
/// <param name="Cursor">The revision's change-feed cursor (its id).</param>
/// <param name="Seat">The constituency code.</param>
/// <param name="Party">
/// The party the revision gives the seat to (a result's winner or a called winner); null when it leaves the seat open
/// (not declared, in recount, postponed, retracted, or tied with no winner drawn by lot).
/// </param>
public sealed record SeatWin(long Cursor, string Seat, string? Party);

/// <summary>A party's standing against the majority line changed with a revision.</summary>
/// <param name="Cursor">The revision that changed it.</param>
/// <param name="Party">The party.</param>
/// <param name="Kind">Its standing now: <c>majority</c>, <c>canReach</c> or <c>cannotReach</c> (<see cref="Tally.MajorityStatus"/>).</param>
/// <param name="Previous">Its standing before the revision.</param>
/// <param name="Seats">Its seats after the revision.</param>
/// <param name="Open">Seats no party held after the revision.</param>
/// <param name="Line">The majority line.</param>
public sealed record Milestone(long Cursor, string Party, string Kind, string Previous, int Seats, int Open, int Line);

/// <summary>
/// The moments of the night when a party clinches an overall majority, or can no longer reach one: the changes of each
/// party's standing against the majority line (the tallies' per-party <c>majority</c>) as the revisions come in. Pure.
/// </summary>
public static class Milestones
{
    /// <summary>The party's seats reach the majority line.</summary>
    public const string Majority = "majority";

    /// <summary>The party is short of the line but its seats and the open seats would reach it (after a correction or retraction only).</summary>
    public const string CanReach = "canReach";

    /// <summary>The party's seats and every open seat together fall below the line.</summary>
    public const string CannotReach = "cannotReach";

    public static readonly string[] Kinds = [Majority, CanReach, CannotReach];

    /// <summary>
    /// Replays <paramref name="revisions"/> (in cursor order) over an election of <paramref name="seats"/> seats and yields a
    /// milestone each time a party's standing changes, using the overall majority line floor(seats / 2) + 1 (326 of 650, the
    /// line the BBC calls a majority at; the working-majority line is not used, as it moves with the Speaker's and Sinn Féin's
    /// seats): <c>majority</c> when its seats reach the line, <c>cannotReach</c> when its seats + the open seats (seats no party
    /// holds) fall below it, and <c>canReach</c> when a correction or retraction takes it back from either (the earlier milestone
    /// is undone; <see cref="Milestone.Previous"/> says which). A party is followed from its first seat; before that it counts as
    /// able to reach the line, as every party can before the first result, so a party whose first seat comes when it can no
    /// longer reach the line has its <c>cannotReach</c> at that seat. Every party starts at <c>canReach</c>, so the first
    /// milestone of a party is <c>majority</c> or <c>cannotReach</c>. Milestones of one revision are ordered by party code
    /// (ordinal). Each milestone depends only on the revisions up to its cursor, so later revisions never change earlier ones.
    /// </summary>
    /// <param name="seats">The number of seats in the election.</param>
    /// <param name="revisions">Every revision of the election in cursor order (increasing).</param>
    public static IReadOnlyList<Milestone> Compute(int seats, IEnumerable<SeatWin> revisions) =>
        Continue(MilestoneState.Start(seats), revisions).Milestones;

    /// <summary>
    /// <see cref="Compute"/> carried on from <paramref name="state"/> (the revisions up to its cursor) with the later
    /// <paramref name="revisions"/>: the same milestones as computing over all of them at once, for the cost of the new ones
    /// (the state is copied, never changed, so every earlier state stays valid).
    /// </summary>
    public static MilestoneState Continue(MilestoneState state, IEnumerable<SeatWin> revisions)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(revisions);

        var seats = state.Seats;
        var line = Tally.MajorityLine(seats);
        var holders = new Dictionary<string, string?>(state.Holders, StringComparer.Ordinal);
        var partySeats = new Dictionary<string, int>(state.PartySeats, StringComparer.Ordinal);
        var standings = new SortedDictionary<string, string>(state.Standings.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        var won = state.Won;
        var last = state.Cursor;
        var applied = state.Revisions;
        var milestones = new List<Milestone>(state.Milestones);
        foreach (var revision in revisions)
        {
            ArgumentNullException.ThrowIfNull(revision, nameof(revisions));
            if (revision.Cursor <= last)
            {
                throw new ArgumentException($"Revisions must come in increasing cursor order ({revision.Cursor} after {last}).", nameof(revisions));
            }

            last = revision.Cursor;
            applied++;
            var before = holders.GetValueOrDefault(revision.Seat);
            holders[revision.Seat] = revision.Party;
            if (holders.Count > seats)
            {
                throw new ArgumentException($"More than {seats} seats among the revisions.", nameof(revisions));
            }

            if (before == revision.Party)
            {
                continue;
            }

            if (before is not null)
            {
                partySeats[before]--;
                won--;
            }

            if (revision.Party is { } party)
            {
                partySeats[party] = partySeats.GetValueOrDefault(party) + 1;
                won++;
                standings.TryAdd(party, CanReach);
            }

            var open = seats - won;
            foreach (var (followed, was) in standings.ToArray())
            {
                var now = Tally.MajorityStatus(partySeats[followed], open, line);
                if (now != was)
                {
                    standings[followed] = now;
                    milestones.Add(new Milestone(revision.Cursor, followed, now, was, partySeats[followed], open, line));
                }
            }
        }

        return new MilestoneState(seats, last, applied, won, holders, partySeats, standings, milestones);
    }
}

/// <summary>
/// Where <see cref="Milestones.Continue"/> stands after some revisions: each seat's holder, each party's seats and standing,
/// and the milestones so far. Never changed once made.
/// </summary>
/// <param name="Seats">The number of seats in the election.</param>
/// <param name="Cursor">The cursor of the last revision applied (0 before any).</param>
/// <param name="Revisions">How many revisions were applied.</param>
/// <param name="Won">Seats some party holds.</param>
/// <param name="Holders">Each seat's holder (null: open).</param>
/// <param name="PartySeats">Each party's seats.</param>
/// <param name="Standings">Each followed party's standing.</param>
/// <param name="Milestones">The milestones so far, in cursor order.</param>
public sealed record MilestoneState(
    int Seats, long Cursor, int Revisions, int Won, IReadOnlyDictionary<string, string?> Holders, IReadOnlyDictionary<string, int> PartySeats,
    IReadOnlyDictionary<string, string> Standings, IReadOnlyList<Milestone> Milestones)
{
    /// <summary>Before any revision of an election of <paramref name="seats"/> seats.</summary>
    public static MilestoneState Start(int seats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seats);
        return new MilestoneState(seats, 0, 0, 0, new Dictionary<string, string?>(), new Dictionary<string, int>(), new Dictionary<string, string>(), []);
    }
}
