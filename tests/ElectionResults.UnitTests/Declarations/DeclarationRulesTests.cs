using ElectionResults.Api.Features.Declarations;
using ElectionResults.Api.Features.Figures;
using static ElectionResults.Api.Features.Declarations.DeclarationDecision;
using static ElectionResults.Api.Features.Declarations.DeclarationRefusal;

namespace ElectionResults.UnitTests.Declarations;

/// <summary>Every rule a declaration must meet against the seat as it stands, with plain data: no HTTP and no database.</summary>
public sealed class DeclarationRulesTests
{
    private const string Code = "E14000810";
    private static readonly DateTimeOffset At = new(2017, 6, 9, 3, 0, 0, TimeSpan.FromHours(1));

    // Al (Con) 1, Bea (Lab) 2, Cy (LD) 3; Lab won the seat last time.
    private static readonly Candidacy[] Three = [new(1, "Al", "Con"), new(2, "Bea", "Lab"), new(3, "Cy", "LD")];

    private static SeatState Seat(params RevisionInfo[] revisions) => Seat(Three, revisions);

    private static SeatState Seat(IReadOnlyList<Candidacy> candidates, params RevisionInfo[] revisions)
    {
        var previous = new PreviousSeat(new Dictionary<string, long> { ["Lab"] = 200, ["Con"] = 100 }, "Lab");
        var current = revisions.Length == 0 ? null : revisions[^1];
        return new SeatState(Code, "Mansfield", 80000, candidates, [], current, previous, SeatState.FiguresFor(current, candidates, 80000, previous),
            revisions.Length < 2 ? null : revisions[^2]);
    }

    private static RevisionInfo Stored(int number, string status, long[]? votes = null, long? winner = null) => new(
        100 + number, number, status, null, At, "RO", "desk", number > 1 ? "why" : null, At,
        votes is null ? new Dictionary<long, long>() : votes.Select((v, i) => (Id: i + 1L, Votes: v)).ToDictionary(x => x.Id, x => x.Votes),
        winner, RecountNumber: status == SeatState.RecountStatus ? 1 : null);

    private static RevisionInfo Declared(int number, params long[] votes) => Stored(number, SeatState.DeclaredStatus, votes);

    private static CandidateVote[] Votes(params long[] votes) => votes.Select((v, i) => new CandidateVote(i + 1, v)).ToArray();

    private static SubmitDeclarationRequest Declaration(CandidateVote[] votes, string? reason = null, long? lot = null) =>
        new(null, votes, 12, At, "Returning officer", reason, LotWinnerCandidateId: lot);

    private static SubmitDeclarationRequest Other(string status, string? reason = null, long? winner = null) =>
        new(status, null, null, status == SeatState.UncontestedStatus ? At : null, "Returning officer", reason, winner);

    private static DeclarationDecision Decide(SeatState seat, SubmitDeclarationRequest request, IfMatchCheck ifMatch = IfMatchCheck.Absent, int recounts = 0) =>
        DeclarationRules.Decide(seat, recounts, request, ifMatch);

    private static void AssertAccepted(NewRevision expected, DeclarationDecision decision) =>
        AssertRevision(expected, Assert.IsType<Accepted>(decision).Revision);

    /// <summary>Records compare lists by reference: the votes are compared item by item, the rest as a record.</summary>
    private static void AssertRevision(NewRevision expected, NewRevision actual)
    {
        Assert.Equal(expected.Votes, actual.Votes);
        Assert.Equal(expected with { Votes = actual.Votes }, actual);
    }

    private static void AssertInvalid(Dictionary<string, string[]> expected, DeclarationDecision decision)
    {
        var refused = Assert.IsType<Refused>(decision);
        Assert.Equal(expected, Assert.IsType<CandidaciesInvalid>(refused.Refusal).Errors);
    }

    [Fact]
    public void A_first_declaration_needs_no_if_match_and_becomes_revision_1()
    {
        var decision = Decide(Seat(), Declaration(Votes(100, 90, 10)));

        AssertAccepted(new NewRevision(1, "declared", Votes(100, 90, 10), 12, At, "Returning officer", null, null, null, null), decision);
    }

    [Fact]
    public void A_first_declaration_may_send_the_current_etag()
    {
        var decision = Decide(Seat(), Declaration(Votes(100, 90, 10), reason: "  "), IfMatchCheck.Current);

        AssertAccepted(new NewRevision(1, "declared", Votes(100, 90, 10), 12, At, "Returning officer", null, null, null, null), decision);
    }

    [Fact]
    public void A_stale_etag_is_refused_before_anything_else_is_checked()
    {
        Assert.Equal(new Refused(new StaleETag(Code, 1)), Decide(Seat(Declared(1, 100, 90, 10)), Declaration(Votes(1, 2)), IfMatchCheck.Stale));
        Assert.Equal(new Refused(new StaleETag(Code, null)), Decide(Seat(), Other("notDeclared", "oops"), IfMatchCheck.Stale));
    }

    [Fact]
    public void A_second_declaration_without_if_match_is_a_conflict_naming_the_current_revision()
    {
        var decision = Decide(Seat(Declared(1, 100, 90, 10), Declared(2, 100, 91, 10)), Declaration(Votes(100, 92, 10), reason: "again"));

        Assert.Equal(new Refused(new IfMatchRequired(Code, Retraction: false, CurrentRevision: 2)), decision);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t")]
    public void A_correction_must_give_a_reason(string? reason)
    {
        var decision = Decide(Seat(Declared(1, 100, 90, 10)), Declaration(Votes(100, 91, 10), reason), IfMatchCheck.Current);

        Assert.Equal(new Refused(new ReasonRequired()), decision);
    }

    [Fact]
    public void A_correction_with_the_current_etag_and_a_reason_adds_the_next_revision()
    {
        var decision = Decide(Seat(Declared(1, 100, 90, 10)), Declaration(Votes(90, 100, 10), "Swapped"), IfMatchCheck.Current);

        AssertAccepted(new NewRevision(2, "declared", Votes(90, 100, 10), 12, At, "Returning officer", "Swapped", null, null, null), decision);
    }

    [Fact]
    public void Every_candidacy_must_be_listed()
    {
        AssertInvalid(new() { ["votes"] = ["Every candidacy must be listed; missing: 3 (Cy, LD)."] }, Decide(Seat(), Declaration(Votes(100, 90))));
    }

    [Fact]
    public void A_candidacy_of_another_seat_is_named_by_its_position_and_the_one_it_left_out_is_missing()
    {
        var votes = new[] { new CandidateVote(1, 100), new CandidateVote(2, 90), new CandidateVote(999, 10) };

        AssertInvalid(new()
        {
            ["votes[2].candidateId"] = [$"Candidate 999 is not standing in '{Code}' at this election."],
            ["votes"] = ["Every candidacy must be listed; missing: 3 (Cy, LD)."],
        }, Decide(Seat(), Declaration(votes)));
    }

    [Fact]
    public void The_candidacies_are_checked_before_the_if_match_a_correction_needs()
    {
        AssertInvalid(new() { ["votes"] = ["Every candidacy must be listed; missing: 2 (Bea, Lab), 3 (Cy, LD)."] },
            Decide(Seat(Declared(1, 100, 90, 10)), Declaration(Votes(100))));
    }

    [Fact]
    public void A_lot_winner_must_have_tied_for_first_place()
    {
        AssertInvalid(new() { ["lotWinnerCandidateId"] = ["Candidate 3 did not tie for first place in these votes; only a tie for first is decided by lot."] },
            Decide(Seat(), Declaration(Votes(100, 100, 10), lot: 3)));
    }

    [Fact]
    public void A_lot_winner_is_not_judged_while_the_candidacies_are_wrong()
    {
        AssertInvalid(new() { ["votes"] = ["Every candidacy must be listed; missing: 3 (Cy, LD)."] }, Decide(Seat(), Declaration(Votes(100, 100), lot: 3)));
    }

    [Fact]
    public void A_tied_candidate_may_win_by_lot()
    {
        var decision = Decide(Seat(), Declaration(Votes(100, 100, 10), lot: 2));

        AssertAccepted(new NewRevision(1, "declared", Votes(100, 100, 10), 12, At, "Returning officer", null, null, 2, null), decision);
    }

    [Fact]
    public void A_called_winner_must_be_standing_in_the_seat()
    {
        AssertInvalid(new() { ["winnerCandidateId"] = [$"Candidate 7 is not standing in '{Code}' at this election."] },
            Decide(Seat(), Other("winnerKnown", winner: 7)));
    }

    [Fact]
    public void A_call_is_a_first_revision_without_votes()
    {
        AssertAccepted(new NewRevision(1, "winnerKnown", [], null, null, "Returning officer", null, 1, null, null),
            Decide(Seat(), Other("winnerKnown", winner: 1)));
    }

    [Fact]
    public void The_declaration_electing_the_called_winner_needs_neither_if_match_nor_reason()
    {
        var called = Seat(Stored(1, "winnerKnown", winner: 1));

        AssertAccepted(new NewRevision(2, "declared", Votes(100, 90, 10), 12, At, "Returning officer", null, null, null, null),
            Decide(called, Declaration(Votes(100, 90, 10))));
    }

    [Fact]
    public void A_declaration_electing_someone_else_than_the_called_winner_is_a_correction()
    {
        var called = Seat(Stored(1, "winnerKnown", winner: 1));

        Assert.Equal(new Refused(new IfMatchRequired(Code, false, 1)), Decide(called, Declaration(Votes(90, 100, 10))));
        Assert.Equal(new Refused(new ReasonRequired()), Decide(called, Declaration(Votes(90, 100, 10)), IfMatchCheck.Current));
        // A tie elects nobody, so it is not the called winner either.
        Assert.Equal(new Refused(new IfMatchRequired(Code, false, 1)), Decide(called, Declaration(Votes(100, 100, 10))));
    }

    [Fact]
    public void An_if_match_sent_where_none_is_needed_is_checked_and_accepted_when_current()
    {
        var called = Seat(Stored(1, "winnerKnown", winner: 1));

        AssertAccepted(new NewRevision(2, "declared", Votes(100, 90, 10), 12, At, "Returning officer", null, null, null, null),
            Decide(called, Declaration(Votes(100, 90, 10)), IfMatchCheck.Current));
        Assert.Equal(new Refused(new StaleETag(Code, 1)), Decide(called, Declaration(Votes(100, 90, 10)), IfMatchCheck.Stale));
    }

    [Fact]
    public void A_call_after_a_result_replaces_it()
    {
        Assert.Equal(new Refused(new IfMatchRequired(Code, false, 1)), Decide(Seat(Declared(1, 100, 90, 10)), Other("winnerKnown", winner: 2)));
    }

    [Fact]
    public void An_uncontested_seat_has_exactly_one_candidate()
    {
        AssertInvalid(new() { ["status"] = [$"An uncontested seat has exactly one candidate; '{Code}' has 3."] }, Decide(Seat(), Other("uncontested")));

        AssertAccepted(new NewRevision(1, "uncontested", [], null, At, "Returning officer", null, null, null, null),
            Decide(Seat([new Candidacy(1, "Speaker", "Spk")]), Other("uncontested")));
    }

    [Fact]
    public void Retracting_a_seat_that_is_not_declared_is_a_conflict_whatever_the_if_match()
    {
        Assert.Equal(new Refused(new NothingToRetract(Code)), Decide(Seat(), Other("notDeclared", "oops"), IfMatchCheck.Current));
        Assert.Equal(new Refused(new NothingToRetract(Code)),
            Decide(Seat(Declared(1, 100, 90, 10), Stored(2, "notDeclared")), Other("notDeclared", "again")));
    }

    [Fact]
    public void A_retraction_needs_if_match_and_writes_no_votes()
    {
        var declared = Seat(Declared(1, 100, 90, 10));

        Assert.Equal(new Refused(new IfMatchRequired(Code, Retraction: true, CurrentRevision: 1)), Decide(declared, Other("notDeclared", "Declared by mistake")));
        AssertAccepted(new NewRevision(2, "notDeclared", [], null, null, "Returning officer", "Declared by mistake", null, null, null),
            Decide(declared, Other("notDeclared", "Declared by mistake"), IfMatchCheck.Current));
    }

    [Theory]
    [InlineData("notDeclared")]
    [InlineData("postponed")]
    public void After_a_retraction_or_a_postponement_the_seat_is_open_again(string status)
    {
        var reopened = Seat(Declared(1, 100, 90, 10), Stored(2, status));

        AssertAccepted(new NewRevision(3, "declared", Votes(10, 90, 100), 12, At, "Returning officer", null, null, null, null),
            Decide(reopened, Declaration(Votes(10, 90, 100))));
    }

    [Fact]
    public void A_postponement_of_a_seat_with_a_result_replaces_it()
    {
        Assert.Equal(new Refused(new IfMatchRequired(Code, false, 1)), Decide(Seat(Declared(1, 100, 90, 10)), Other("postponed", "A candidate died")));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(4, 5)]
    public void Recounts_are_numbered_from_the_last_result(int recountsSinceResult, int expected)
    {
        var decision = Decide(Seat(Declared(1, 100, 99, 10)), Other("recount", "Con asked"), IfMatchCheck.Current, recountsSinceResult);

        AssertAccepted(new NewRevision(2, "recount", [], null, null, "Returning officer", "Con asked", null, null, expected), decision);
    }

    [Fact]
    public void Only_a_recount_carries_a_recount_number()
    {
        var inRecount = Seat(Declared(1, 100, 99, 10), Stored(2, "recount"));

        AssertAccepted(new NewRevision(3, "declared", Votes(100, 98, 10), 12, At, "Returning officer", "After the recount", null, null, null),
            Decide(inRecount, Declaration(Votes(100, 98, 10), "After the recount"), IfMatchCheck.Current, recounts: 1));
    }

    [Fact]
    public void A_revision_keeps_votes_only_when_declared_and_a_reason_only_when_it_says_something()
    {
        var request = new SubmitDeclarationRequest("recount", Votes(1, 2), 3, At, "s", " ");

        AssertRevision(new NewRevision(4, "recount", [], 3, At, "s", null, null, null, 1), NewRevision.From(request, 4, "recount"));
        AssertRevision(new NewRevision(4, "declared", Votes(1, 2), 3, At, "s", null, null, null, null),
            NewRevision.From(request with { Status = null }, 4, "declared", 9));
    }
}
