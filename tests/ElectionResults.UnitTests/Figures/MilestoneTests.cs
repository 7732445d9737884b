using ElectionResults.Api.Features.Figures;

namespace ElectionResults.UnitTests.Figures;

public sealed class MilestoneTests
{
    /// <summary>The 2017 result: a hung parliament, the Conservatives 9 short of 326.</summary>
    private static readonly (string Party, int Seats)[] Ge2017 =
    [
        ("Con", 317), ("Lab", 262), ("SNP", 35), ("LD", 12), ("DUP", 10), ("SF", 7), ("PC", 4), ("Green", 1), ("Spk", 1), ("Ind", 1),
    ];

    /// <summary>One revision per seat, cursors 1, 2, 3 …, the seats won by the parties in the order given.</summary>
    private static List<SeatWin> Declare(params (string Party, int Seats)[] blocks)
    {
        var revisions = new List<SeatWin>();
        foreach (var (party, seats) in blocks)
        {
            for (var i = 0; i < seats; i++)
            {
                revisions.Add(new SeatWin(revisions.Count + 1, $"S{revisions.Count + 1:D3}", party));
            }
        }

        return revisions;
    }

    /// <summary>The 2017 seats dealt out in proportion, as a night comes in: at every step the party furthest behind its final share declares next.</summary>
    private static List<SeatWin> Ge2017InProportion()
    {
        var declared = Ge2017.ToDictionary(p => p.Party, _ => 0, StringComparer.Ordinal);
        var revisions = new List<SeatWin>();
        for (var n = 1; n <= 650; n++)
        {
            var next = Ge2017
                .Where(p => declared[p.Party] < p.Seats)
                .OrderBy(p => (declared[p.Party] + 1) / (double)p.Seats)
                .ThenBy(p => p.Party, StringComparer.Ordinal)
                .First().Party;
            declared[next]++;
            revisions.Add(new SeatWin(n * 10, $"S{n:D3}", next));
        }

        return revisions;
    }

    [Fact]
    public void A_party_clinches_a_majority_when_its_seats_reach_the_line_and_the_others_cannot_reach_it_then()
    {
        // 5 seats, line 3.
        var milestones = Milestones.Compute(5, Declare(("Con", 2), ("Lab", 1), ("Con", 1)));

        Assert.Equal(
            [
                new Milestone(4, "Con", "majority", "canReach", 3, 1, 3),
                new Milestone(4, "Lab", "cannotReach", "canReach", 1, 1, 3),   // 1 + 1 open < 3
            ],
            milestones);
    }

    [Fact]
    public void A_synthetic_majority_of_650_comes_with_the_326th_seat()
    {
        var milestones = Milestones.Compute(650, Declare(("Lab", 200), ("Con", 326), ("Lab", 124)));

        Assert.Equal(
            [
                // Labour's 200 + 125 open fall below 326 with the Conservatives' 325th seat, before their majority.
                new Milestone(525, "Lab", "cannotReach", "canReach", 200, 125, 326),
                new Milestone(526, "Con", "majority", "canReach", 326, 124, 326),
            ],
            milestones);
    }

    [Fact]
    public void In_2017_nobody_reaches_326_and_each_party_can_no_longer_reach_it_once_its_seats_and_the_open_seats_fall_to_325()
    {
        // Labour's 262 first, then the smaller parties, the Conservatives last.
        var milestones = Milestones.Compute(650, Declare(
            ("Lab", 262), ("SNP", 35), ("LD", 12), ("DUP", 10), ("SF", 7), ("PC", 4), ("Green", 1), ("Spk", 1), ("Ind", 1), ("Con", 317)));

        Assert.DoesNotContain(milestones, m => m.Kind == "majority");
        Assert.All(milestones, m => Assert.Equal(("cannotReach", "canReach", 326), (m.Kind, m.Previous, m.Line)));
        Assert.Equal(
            [
                // PC's first seat comes with 323 open: 1 + 323 < 326 already; so for each party whose first seat comes that late.
                (327L, "PC", 1, 323),
                (331, "Green", 1, 319),
                // Sinn Féin's 7 + 318 open = 325; the Speaker arrives below the line.
                (332, "SF", 7, 318),
                (332, "Spk", 1, 318),
                (333, "Ind", 1, 317),
                (334, "Con", 1, 316),   // 317 in all, never enough
                (335, "DUP", 10, 315),
                (337, "LD", 12, 313),
                (360, "SNP", 35, 290),
                (587, "Lab", 262, 63),  // 262 + 63 = 325
            ],
            milestones.Select(m => (m.Cursor, m.Party, m.Seats, m.Open)));
    }

    [Fact]
    public void Each_milestone_is_the_first_revision_at_which_the_partys_standing_against_the_line_changes()
    {
        var revisions = Ge2017InProportion();
        var milestones = Milestones.Compute(650, revisions);

        // Every party that won a seat ends below the line, once each, and nobody reaches it.
        Assert.Equal(Ge2017.Select(p => p.Party).Order(StringComparer.Ordinal), milestones.Select(m => m.Party).Order(StringComparer.Ordinal));
        Assert.All(milestones, m => Assert.Equal("cannotReach", m.Kind));

        // Against a plain recount of the running seats after every revision.
        var seats = new Dictionary<string, int>(StringComparer.Ordinal);
        var expected = new List<(long, string)>();
        var standing = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < revisions.Count; i++)
        {
            seats[revisions[i].Party!] = seats.GetValueOrDefault(revisions[i].Party!) + 1;
            foreach (var party in seats.Keys.Order(StringComparer.Ordinal))
            {
                var now = Tally.MajorityStatus(seats[party], 650 - (i + 1), 326);
                if (now != standing.GetValueOrDefault(party, "canReach"))
                {
                    expected.Add((revisions[i].Cursor, party));
                }

                standing[party] = now;
            }
        }

        Assert.Equal(expected, milestones.Select(m => (m.Cursor, m.Party)));
        // The Conservatives fall short as the 642nd seat leaves 8 open: 317 + 8 < 326 at the latest.
        Assert.InRange(Assert.Single(milestones, m => m.Party == "Con").Cursor, 10, 6420);
        Assert.All(milestones.Where(m => m.Party is "Con" or "Lab"), m => Assert.Equal(325, m.Seats + m.Open));
    }

    [Fact]
    public void Later_revisions_never_change_earlier_milestones()
    {
        var revisions = Ge2017InProportion();
        var all = Milestones.Compute(650, revisions);

        foreach (var cut in new[] { 1, 100, 325, 400, 642, 649 })
        {
            var upTo = revisions[cut - 1].Cursor;
            Assert.Equal(all.Where(m => m.Cursor <= upTo), Milestones.Compute(650, revisions.Take(cut)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(649)]
    public void Carrying_on_from_a_state_gives_the_milestones_of_computing_over_every_revision_at_once(int split)
    {
        var revisions = Ge2017InProportion();
        var first = Milestones.Continue(MilestoneState.Start(650), revisions.Take(split));

        var carried = Milestones.Continue(first, revisions.Skip(split));

        Assert.Equal(Milestones.Compute(650, revisions), carried.Milestones);
        Assert.Equal((revisions.Count, revisions[^1].Cursor), (carried.Revisions, carried.Cursor));
        // The earlier state is untouched: it still says what it said.
        Assert.Equal(Milestones.Compute(650, revisions.Take(split)), first.Milestones);
        Assert.Equal(split, first.Revisions);
        Assert.Throws<ArgumentException>(() => Milestones.Continue(carried, [revisions[0]]));
    }

    [Fact]
    public void A_correction_that_takes_the_winner_back_below_the_line_undoes_the_majority_and_a_later_seat_restores_it()
    {
        var revisions = Declare(("Con", 2), ("Lab", 1), ("Con", 1));
        revisions.Add(new SeatWin(5, "S004", "Lab"));   // S004 corrected: Lab, not Con
        revisions.Add(new SeatWin(6, "S005", "Con"));

        var milestones = Milestones.Compute(5, revisions);

        Assert.Equal(
            [
                new Milestone(4, "Con", "majority", "canReach", 3, 1, 3),
                new Milestone(4, "Lab", "cannotReach", "canReach", 1, 1, 3),
                new Milestone(5, "Con", "canReach", "majority", 2, 1, 3),
                new Milestone(5, "Lab", "canReach", "cannotReach", 2, 1, 3),
                new Milestone(6, "Con", "majority", "canReach", 3, 0, 3),
                new Milestone(6, "Lab", "cannotReach", "canReach", 2, 0, 3),
            ],
            milestones);
    }

    [Fact]
    public void A_retraction_or_recount_reopens_the_seat_and_a_correction_to_the_same_party_changes_nothing()
    {
        // 3 seats, line 2.
        var milestones = Milestones.Compute(3,
        [
            new SeatWin(1, "A", "Con"),
            new SeatWin(2, "B", "Lab"),
            new SeatWin(3, "C", null),     // a recount before any result: still open
            new SeatWin(4, "C", "Lab"),
            new SeatWin(5, "C", "Lab"),    // corrected figures, same winner
            new SeatWin(6, "C", null),     // retracted
            new SeatWin(7, "C", "Con"),
        ]);

        Assert.Equal(
            [
                new Milestone(4, "Con", "cannotReach", "canReach", 1, 0, 2),
                new Milestone(4, "Lab", "majority", "canReach", 2, 0, 2),
                new Milestone(6, "Con", "canReach", "cannotReach", 1, 1, 2),
                new Milestone(6, "Lab", "canReach", "majority", 1, 1, 2),
                new Milestone(7, "Con", "majority", "canReach", 2, 0, 2),
                new Milestone(7, "Lab", "cannotReach", "canReach", 1, 0, 2),
            ],
            milestones);
    }

    [Fact]
    public void Nothing_declared_is_no_milestone_and_bad_input_is_refused()
    {
        Assert.Empty(Milestones.Compute(650, []));
        Assert.Empty(Milestones.Compute(650, [new SeatWin(1, "A", null)]));
        Assert.Throws<ArgumentException>(() => Milestones.Compute(650, [new SeatWin(2, "A", "Con"), new SeatWin(2, "B", "Con")]));
        Assert.Throws<ArgumentException>(() => Milestones.Compute(1, [new SeatWin(1, "A", "Con"), new SeatWin(2, "B", "Con")]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Milestones.Compute(0, []));
    }
}
