using ElectionResults.Api.Features.Parties;

namespace ElectionResults.Api.Features.Figures;

public sealed record ElectionInfo(string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest)
{
    /// <summary>What the seats are compared with (gains, holds, share changes, swing); null when nothing.</summary>
    public Baseline? Baseline { get; init; }

    /// <summary>The certification in force (as of the snapshot's instant, for time travel); null while not certified.</summary>
    public CertificationInfo? Certification { get; init; }
}

/// <summary>
/// What an election's seats are compared with: another election's result in the same seats (by default the previous
/// election), or, when <paramref name="Notional"/>, the notional result of <paramref name="ElectionId"/> on this election's
/// boundaries (estimated votes, imported as <c>notional-results</c>).
/// </summary>
public sealed record Baseline(string ElectionId, bool Notional);

/// <summary>An election's certification: when, by which key, and on what authority.</summary>
public sealed record CertificationInfo(DateTimeOffset CertifiedAt, string CertifiedBy, string Source);

public sealed record PartyInfo(string Code, string Name, string Colour)
{
    /// <summary>Label of at most 12 characters (<see cref="PartyDisplay.ShortName"/>).</summary>
    public string ShortName { get; } = PartyDisplay.ShortName(Code, Name);

    /// <summary>Black or white, whichever contrasts more with <see cref="Colour"/> (<see cref="PartyDisplay.TextColour"/>).</summary>
    public string TextColour { get; } = PartyDisplay.TextColour(Colour);
}

public sealed record AreaInfo(string Id, string Name, string Kind, IReadOnlyList<string> ConstituencyCodes);

public sealed record Candidacy(long Id, string Name, string Party, string? Description = null);

/// <summary>One stored revision of a seat's result.</summary>
/// <remarks>DeclarationId is the revision's row id: a database sequence, increasing in commit order (writers are serialised), used as the change-feed cursor.</remarks>
public sealed record RevisionInfo(
    long DeclarationId, int Number, string Status, long? InvalidVotes, DateTimeOffset? DeclaredAt, string Source, string EnteredBy,
    string? Reason, DateTimeOffset RecordedAt, IReadOnlyDictionary<long, long> VotesByCandidacy,
    long? WinnerCandidacyId = null, long? LotWinnerCandidacyId = null, int? RecountNumber = null)
{
    /// <summary>When the revision became public (the moment of a desk's write, a file's declaration time, a replay's play).</summary>
    public DateTimeOffset PublishedAt { get; init; }
}

/// <summary>The latest change of a seat's nominations (a candidacy added, changed or withdrawn).</summary>
/// <param name="Id">Its change-feed cursor (same sequence as the revisions).</param>
/// <param name="Change">`added`, `changed` or `withdrawn`.</param>
/// <param name="RecordedAt">When it was stored.</param>
public sealed record NominationChange(long Id, string Change, DateTimeOffset RecordedAt);

/// <summary>What one revision says: its status, winner (with the result text) and whether it is a correction.</summary>
/// <param name="Status">The revision's status.</param>
/// <param name="Winner">The elected or called candidate; null without one (no result yet, or an undecided tie).</param>
/// <param name="Result">`Con gain from Lab`, `Lab hold`, `Tie between Con and Lab` …; null without a result.</param>
/// <param name="Gain">True when the winner's party differs from the previous election's winner.</param>
public sealed record RevisionOutcome(string Status, CandidateFigures? Winner, string? Result, bool Gain);

/// <summary>The kinds of change a seat's revision (or nominations) can be, as the change feed announces them.</summary>
public static class ChangeKinds
{
    public const string Declared = "declared";
    public const string Corrected = "corrected";
    public const string WinnerKnown = "winnerKnown";
    public const string Recount = "recount";
    public const string Postponed = "postponed";
    public const string Retracted = "retracted";
    public const string Nominations = "nominations";

    public static readonly string[] All = [Declared, Corrected, WinnerKnown, Recount, Postponed, Retracted, Nominations];

    /// <summary>
    /// The kind of a revision, judged against the revision it replaced (null for a seat's first): a result (`declared` or
    /// `uncontested`) is `corrected` when it replaces a result, or a called winner with a different winner (or with a tie);
    /// otherwise it is `declared`. The other statuses are announced as themselves (`notDeclared` as `retracted`).
    /// </summary>
    public static string Of(RevisionOutcome current, RevisionOutcome? replaced)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Status switch
        {
            SeatState.NotDeclared => Retracted,
            SeatState.WinnerKnownStatus => WinnerKnown,
            SeatState.RecountStatus => Recount,
            SeatState.PostponedStatus => Postponed,
            _ => replaced switch
            {
                { Status: SeatState.DeclaredStatus or SeatState.UncontestedStatus } => Corrected,
                { Status: SeatState.WinnerKnownStatus } when replaced.Winner?.CandidacyId != current.Winner?.CandidacyId => Corrected,
                _ => Declared,
            },
        };
    }
}

/// <summary>A constituency at one election: its candidates, its current (latest) revision and the figures derived from it.</summary>
/// <remarks>Replaced is the revision before the current one (null when the current one is the first).</remarks>
public sealed record SeatState(
    string Code, string Name, long? Electorate, IReadOnlyList<Candidacy> Candidates, IReadOnlyList<string> AreaIds,
    RevisionInfo? Current, PreviousSeat? Previous, SeatFigures? Figures, RevisionInfo? Replaced = null)
{
    public const string NotDeclared = "notDeclared";
    public const string WinnerKnownStatus = "winnerKnown";
    public const string DeclaredStatus = "declared";
    public const string RecountStatus = "recount";
    public const string UncontestedStatus = "uncontested";
    public const string PostponedStatus = "postponed";

    /// <summary>Every seat status, in the order a night usually passes through them.</summary>
    public static readonly string[] Statuses = [NotDeclared, WinnerKnownStatus, DeclaredStatus, RecountStatus, UncontestedStatus, PostponedStatus];

    public string Status => Current?.Status ?? NotDeclared;

    /// <summary>When the declaration is expected at this election; null when unknown.</summary>
    public DateTimeOffset? ExpectedDeclarationAt { get; init; }

    /// <summary>The latest change of the nominations, when there has been one.</summary>
    public NominationChange? LastNomination { get; init; }

    /// <summary>A seat counts in tallies when its latest revision carries a result (declared or uncontested).</summary>
    public bool HasResult => Figures is not null;

    /// <summary>What the current revision says (null when the seat has none).</summary>
    public RevisionOutcome? Outcome { get; } = OutcomeOf(Current, Figures, Candidates, Previous);

    /// <summary>What the revision before the current one said (null when there is none).</summary>
    public RevisionOutcome? ReplacedOutcome { get; } =
        Replaced is null ? null : OutcomeOf(Replaced, FiguresFor(Replaced, Candidates, Electorate, Previous), Candidates, Previous);

    /// <summary>The change-feed kind of the current revision (null when the seat has none).</summary>
    public string? Kind => Outcome is null ? null : ChangeKinds.Of(Outcome, ReplacedOutcome);

    /// <summary>True while the current revision is a correction of a published result.</summary>
    public bool Corrected => Kind == ChangeKinds.Corrected;

    /// <summary>The winner: elected by the figures, or called before them.</summary>
    public CandidateFigures? Winner => Outcome?.Winner;

    /// <summary>The change-feed cursor of the seat's latest change (revision or nominations); 0 when it has none.</summary>
    public long Cursor => Math.Max(Current?.DeclarationId ?? 0, LastNomination?.Id ?? 0);

    public SeatOutcome ToOutcome() => new(
        Code,
        HasResult,
        Winner?.Party,
        Previous?.WinnerParty,
        Figures is null ? Empty : VotesByParty(Figures.Candidates),
        Previous?.VotesByParty)
    {
        WinnerKnown = Status == WinnerKnownStatus,
        Postponed = Status == PostponedStatus,
        InRecount = Status == RecountStatus,
        Uncontested = Status == UncontestedStatus,
        PreviousUncontested = Previous?.Uncontested ?? false,
        ExpectedDeclarationAt = ExpectedDeclarationAt,
        Electorate = Electorate,
    };

    private static readonly IReadOnlyDictionary<string, long> Empty = new Dictionary<string, long>();

    public static IReadOnlyDictionary<string, long> VotesByParty(IEnumerable<CandidateFigures> candidates) =>
        candidates.GroupBy(c => c.Party, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Votes), StringComparer.Ordinal);

    /// <summary>
    /// What a revision says. A result's winner and text come from its figures; a called winner (`winnerKnown`) is that
    /// candidate, with the result text and gain worked out as for a declaration ("Con gain from Lab") but no votes.
    /// </summary>
    public static RevisionOutcome? OutcomeOf(RevisionInfo? revision, SeatFigures? figures, IReadOnlyList<Candidacy> candidates, PreviousSeat? previous)
    {
        if (revision is null)
        {
            return null;
        }

        if (figures is not null)
        {
            return new RevisionOutcome(revision.Status, figures.Winner, figures.Result, figures.Gain);
        }

        if (revision.Status == WinnerKnownStatus && candidates.FirstOrDefault(c => c.Id == revision.WinnerCandidacyId) is { } called)
        {
            var previousWinner = previous?.WinnerParty;
            return new RevisionOutcome(
                revision.Status,
                new CandidateFigures(called.Id, called.Name, called.Party, 0, null, null, Elected: true),
                SeatArithmetic.ResultText(called.Party, previousWinner, []),
                SeatArithmetic.IsGain(called.Party, previousWinner));
        }

        return new RevisionOutcome(revision.Status, null, null, false);
    }

    /// <summary>Figures for one revision of this seat, judged against the previous election's result; null unless it is a result (declared or uncontested).</summary>
    public static SeatFigures? FiguresFor(RevisionInfo? revision, IReadOnlyList<Candidacy> candidates, long? electorate, PreviousSeat? previous)
    {
        if (revision is null || revision.Status is not (DeclaredStatus or UncontestedStatus))
        {
            return null;
        }

        var uncontested = revision.Status == UncontestedStatus;
        var votes = candidates
            .Where(c => uncontested || revision.VotesByCandidacy.ContainsKey(c.Id))
            .Select(c => new CandidateVotes(c.Id, c.Name, c.Party, revision.VotesByCandidacy.GetValueOrDefault(c.Id)))
            .ToArray();
        return SeatArithmetic.Compute(votes, electorate, revision.InvalidVotes, previous, uncontested, revision.LotWinnerCandidacyId);
    }
}
