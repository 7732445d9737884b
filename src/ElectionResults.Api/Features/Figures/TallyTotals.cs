using System.Collections.Immutable;

namespace ElectionResults.Api.Features.Figures;

/// <summary>
/// The sums a tally is made of, over a set of seats: counts by state, and per party its seats, gains, losses and votes
/// (now, and in the seats that polled at both elections, before). Every figure of <see cref="TallyFigures"/> is worked
/// out from them (<see cref="Figures"/>), and they are additive: a seat's declaration changes a tally by taking the
/// seat's old outcome out and putting its new one in (<see cref="Replace"/>), so a declaration costs a tally the work of
/// one seat, not of all of them. Immutable: each change gives new totals and shares nothing mutable with the old ones.
/// </summary>
public sealed class TallyTotals
{
    /// <summary>The sums of one party.</summary>
    private readonly record struct Line(int Seats, int Gains, int Losses, long Votes, long ComparedVotes, long PreviousVotes)
    {
        public bool IsEmpty => this == default;

        public static Line operator +(Line a, Line b) => new(
            a.Seats + b.Seats, a.Gains + b.Gains, a.Losses + b.Losses, checked(a.Votes + b.Votes), checked(a.ComparedVotes + b.ComparedVotes),
            checked(a.PreviousVotes + b.PreviousVotes));

        public static Line operator -(Line a) => new(-a.Seats, -a.Gains, -a.Losses, -a.Votes, -a.ComparedVotes, -a.PreviousVotes);
    }

    /// <summary>The counts that are not per party.</summary>
    private readonly record struct Counts(
        int Seats, int Declared, int WinnerKnown, int Postponed, int InRecount, int Undecided, int Remaining, long TotalVotes, long ComparedVotes,
        long PreviousVotes, long TurnoutVotes, long Electorate, int ElectorateSeats, int ComparedSeats)
    {
        public static Counts operator +(Counts a, Counts b) => new(
            a.Seats + b.Seats, a.Declared + b.Declared, a.WinnerKnown + b.WinnerKnown, a.Postponed + b.Postponed, a.InRecount + b.InRecount,
            a.Undecided + b.Undecided, a.Remaining + b.Remaining, checked(a.TotalVotes + b.TotalVotes), checked(a.ComparedVotes + b.ComparedVotes),
            checked(a.PreviousVotes + b.PreviousVotes), checked(a.TurnoutVotes + b.TurnoutVotes), checked(a.Electorate + b.Electorate),
            a.ElectorateSeats + b.ElectorateSeats, a.ComparedSeats + b.ComparedSeats);

        public static Counts operator -(Counts a) => new(
            -a.Seats, -a.Declared, -a.WinnerKnown, -a.Postponed, -a.InRecount, -a.Undecided, -a.Remaining, -a.TotalVotes, -a.ComparedVotes,
            -a.PreviousVotes, -a.TurnoutVotes, -a.Electorate, -a.ElectorateSeats, -a.ComparedSeats);
    }

    private readonly Counts _counts;
    private readonly ImmutableDictionary<string, Line> _lines;

    /// <summary>Votes per party now and before, in the seats that polled at both elections (for the swing).</summary>
    private readonly ImmutableDictionary<string, long> _comparedNow;
    private readonly ImmutableDictionary<string, long> _comparedBefore;

    /// <summary>The expected declaration times (UTC ticks) of the seats still to declare, in order, with how many seats expect each.</summary>
    private readonly ImmutableSortedDictionary<long, int> _expected;

    private TallyTotals(
        Counts counts, ImmutableDictionary<string, Line> lines, ImmutableDictionary<string, long> comparedNow, ImmutableDictionary<string, long> comparedBefore,
        ImmutableSortedDictionary<long, int> expected)
    {
        _counts = counts;
        _lines = lines;
        _comparedNow = comparedNow;
        _comparedBefore = comparedBefore;
        _expected = expected;
    }

    /// <summary>The totals of <paramref name="seats"/>.</summary>
    public static TallyTotals Of(IEnumerable<SeatOutcome> seats)
    {
        ArgumentNullException.ThrowIfNull(seats);
        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        var comparedNow = new Dictionary<string, long>(StringComparer.Ordinal);
        var comparedBefore = new Dictionary<string, long>(StringComparer.Ordinal);
        var expected = new SortedDictionary<long, int>();
        var counts = default(Counts);
        foreach (var seat in seats)
        {
            ArgumentNullException.ThrowIfNull(seat, nameof(seats));
            counts += Contribute(seat, 1, lines, comparedNow, comparedBefore, expected);
        }

        return new TallyTotals(
            counts, lines.ToImmutableDictionary(StringComparer.Ordinal), comparedNow.ToImmutableDictionary(StringComparer.Ordinal),
            comparedBefore.ToImmutableDictionary(StringComparer.Ordinal), expected.ToImmutableSortedDictionary());
    }

    /// <summary>These totals with <paramref name="before"/>'s contribution taken out and <paramref name="after"/>'s put in (the same seat, before and after a change).</summary>
    public TallyTotals Replace(SeatOutcome before, SeatOutcome after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var lines = _lines.ToBuilder();
        var comparedNow = _comparedNow.ToBuilder();
        var comparedBefore = _comparedBefore.ToBuilder();
        var expected = _expected.ToBuilder();
        var counts = _counts + Contribute(before, -1, lines, comparedNow, comparedBefore, expected)
            + Contribute(after, 1, lines, comparedNow, comparedBefore, expected);
        return new TallyTotals(counts, lines.ToImmutable(), comparedNow.ToImmutable(), comparedBefore.ToImmutable(), expected.ToImmutable());
    }

    /// <summary>
    /// Adds (<paramref name="sign"/> 1) or takes out (−1) one seat: its per-party sums go into the builders (a sum that comes
    /// back to nothing is removed, so that totals patched seat by seat equal totals summed afresh), its counts are returned.
    /// </summary>
    private static Counts Contribute(
        SeatOutcome seat, int sign, IDictionary<string, Line> lines, IDictionary<string, long> comparedNow, IDictionary<string, long> comparedBefore,
        IDictionary<long, int> expected)
    {
        void AddLine(string party, Line line)
        {
            var sum = (lines.TryGetValue(party, out var had) ? had : default) + (sign > 0 ? line : -line);
            if (sum.IsEmpty)
            {
                lines.Remove(party);
            }
            else
            {
                lines[party] = sum;
            }
        }

        static void AddVotes(IDictionary<string, long> votes, string party, long delta)
        {
            var sum = checked((votes.TryGetValue(party, out var had) ? had : 0) + delta);
            if (sum == 0)
            {
                votes.Remove(party);
            }
            else
            {
                votes[party] = sum;
            }
        }

        Counts CountWinner(Counts counts)
        {
            if (seat.WinnerParty is not { } winner)
            {
                return counts with { Undecided = 1 };
            }

            var gain = SeatArithmetic.IsGain(winner, seat.PreviousWinnerParty);
            AddLine(winner, new Line(1, gain ? 1 : 0, 0, 0, 0, 0));
            if (gain)
            {
                AddLine(seat.PreviousWinnerParty!, new Line(0, 0, 1, 0, 0, 0));
            }

            return counts;
        }

        var counts = new Counts { Seats = 1 };
        if (seat.Postponed)
        {
            counts = counts with { Postponed = 1 };
        }
        else if (seat.WinnerKnown && !seat.Declared)
        {
            counts = CountWinner(counts with { WinnerKnown = 1 });
        }
        else if (!seat.Declared)
        {
            counts = counts with { Remaining = 1, InRecount = seat.InRecount ? 1 : 0 };
            if (seat.ExpectedDeclarationAt is { } at)
            {
                var seats = (expected.TryGetValue(at.UtcTicks, out var had) ? had : 0) + sign;
                if (seats == 0)
                {
                    expected.Remove(at.UtcTicks);
                }
                else
                {
                    expected[at.UtcTicks] = seats;
                }
            }
        }
        else
        {
            counts = CountWinner(counts with { Declared = 1 });
            if (seat.Electorate is > 0 && !seat.Uncontested)
            {
                counts = counts with { ElectorateSeats = 1, Electorate = seat.Electorate.Value, TurnoutVotes = SumOf(seat.VotesByParty) };
            }

            counts = counts with { TotalVotes = SumOf(seat.VotesByParty) };
            var polledAtBoth = seat.PolledAtBoth;
            foreach (var (party, votes) in seat.VotesByParty)
            {
                AddLine(party, new Line(0, 0, 0, votes, polledAtBoth ? votes : 0, 0));
            }

            if (polledAtBoth)
            {
                counts = counts with { ComparedSeats = 1, ComparedVotes = SumOf(seat.VotesByParty), PreviousVotes = SumOf(seat.PreviousVotesByParty!) };
                foreach (var (party, votes) in seat.VotesByParty)
                {
                    AddVotes(comparedNow, party, sign * votes);
                }

                foreach (var (party, votes) in seat.PreviousVotesByParty!)
                {
                    AddLine(party, new Line(0, 0, 0, 0, 0, votes));
                    AddVotes(comparedBefore, party, sign * votes);
                }
            }
        }

        return sign > 0 ? counts : -counts;
    }

    private static long SumOf(IReadOnlyDictionary<string, long> votes)
    {
        long sum = 0;
        foreach (var value in votes.Values)
        {
            sum = checked(sum + value);
        }

        return sum;
    }

    /// <summary>
    /// The tally's figures (<see cref="Tally.Compute"/> describes them), with the seats expected within the hour counted as
    /// of <paramref name="now"/> (none without it) and parties with fewer than <paramref name="othersBelow"/> seats folded into Others.
    /// </summary>
    public TallyFigures Figures(DateTimeOffset? now = null, int othersBelow = 0)
    {
        var c = _counts;
        var anyPrevious = c.ComparedSeats > 0;

        PartyStanding Standing(string party, Line line) => new(
            party,
            line.Seats,
            line.Gains,
            line.Losses,
            line.Gains - line.Losses,
            line.Votes,
            SeatArithmetic.Share(line.Votes, c.TotalVotes),
            anyPrevious ? SeatArithmetic.ShareChange(line.ComparedVotes, c.ComparedVotes, line.PreviousVotes, c.PreviousVotes) : null);

        var parties = _lines
            .Where(kv => kv.Value.Seats > 0 || kv.Value.Votes > 0 || kv.Value.Losses > 0)
            .Select(kv => (Standing: Standing(kv.Key, kv.Value), Line: kv.Value))
            .OrderByDescending(p => p.Standing.Seats)
            .ThenByDescending(p => p.Standing.Votes)
            .ThenBy(p => p.Standing.Party, StringComparer.Ordinal)
            .ToList();

        var standings = parties.Where(p => othersBelow <= 0 || p.Line.Seats >= othersBelow).Select(p => p.Standing).ToList();
        var folded = parties.Where(p => othersBelow > 0 && p.Line.Seats < othersBelow).ToList();
        if (folded.Count > 0)
        {
            var others = folded.Aggregate(default(Line), (sum, p) => sum + p.Line);
            standings.Add(Standing(Tally.Others, others) with { Folded = folded.Select(p => p.Standing.Party).ToArray() });
        }

        var (expectedSoon, expectedChangesAt) = Expected(now);
        var won = parties.Sum(p => p.Line.Seats);
        int SeatsOf(string party) => _lines.TryGetValue(party, out var line) ? line.Seats : 0;
        return new TallyFigures(c.Seats, c.Declared, Tally.MajorityLine(c.Seats), standings)
        {
            Open = c.Seats - won,
            WorkingMajorityLine = Tally.WorkingMajorityLine(c.Seats, SeatsOf(SeatArithmetic.Speaker), SeatsOf(SeatArithmetic.SinnFein)),
            ValidVotes = c.TotalVotes,
            Electorate = c.ElectorateSeats > 0 ? c.Electorate : null,
            Turnout = c.ElectorateSeats > 0 ? SeatArithmetic.Turnout(c.TurnoutVotes, c.Electorate) : null,
            Swing = Tally.AreaSwing(_comparedNow, _comparedBefore),
            WinnerKnown = c.WinnerKnown,
            Postponed = c.Postponed,
            InRecount = c.InRecount,
            Undecided = c.Undecided,
            Remaining = c.Remaining,
            RemainingExpectedByNextHour = expectedSoon,
            RemainingExpectedChangesAt = expectedChangesAt,
        };
    }

    /// <summary>
    /// Of the seats still to declare, how many are expected within the hour after <paramref name="now"/>, and when that count
    /// next grows with the clock alone (the earliest later expected time, less an hour); nothing without <paramref name="now"/>.
    /// </summary>
    private (int Soon, DateTimeOffset? ChangesAt) Expected(DateTimeOffset? now)
    {
        if (now is not { } at || _expected.Count == 0)
        {
            return (0, null);
        }

        var horizon = (at + Tally.NextHour).UtcTicks;
        var soon = 0;
        foreach (var (ticks, seats) in _expected)
        {
            if (ticks > horizon)
            {
                return (soon, new DateTimeOffset(ticks, TimeSpan.Zero) - Tally.NextHour);
            }

            soon += seats;
        }

        return (soon, null);
    }
}
