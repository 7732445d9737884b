using ElectionResults.Api.Features.Figures;

namespace ElectionResults.Api.Features.Declarations;

// Where each rule of a declaration lives:
// - The request's shape, which needs nothing but the request: a known status, a source, a declaration time where the
//   status needs one, votes in range, a candidacy named at most once, a reason for `postponed` and `notDeclared`, the
//   winner and lot-winner ids only with their statuses. SubmitDeclarationRequestValidator (400 before the handler runs).
// - The headers and the clock: a declaration time at most five minutes ahead, the Idempotency-Key's and If-Match's
//   formats. DeclarationEndpoints.SubmitDeclaration (400).
// - Everything that depends on the seat as it stands under the write lock: here, as one pure function. If-Match against
//   the current document (412), something to retract and a correction's If-Match (409), every candidacy of the seat
//   exactly once, a called winner standing in the seat, an uncontested seat with one candidate, a lot winner tied for
//   first (400 naming the field), a correction's reason (400), and what the new revision is (number, recount number).
// - Whether the election, the seat and a stored idempotent answer exist, and whether the election is certified (its
//   results final): DeclarationStore (404, 422, a replay, 409; the database refuses a certified election's revisions too).

/// <summary>What the request's <c>If-Match</c> says about the seat's current constituency document.</summary>
public enum IfMatchCheck
{
    /// <summary>No <c>If-Match</c> was sent.</summary>
    Absent,

    /// <summary>One of the tags names the current document (or is <c>*</c>).</summary>
    Current,

    /// <summary>Tags were sent and none names the current document.</summary>
    Stale,
}

/// <summary>
/// One revision to store, exactly as it is written: the votes only for <c>declared</c>, a reason only when it says
/// something, a recount number only for <c>recount</c>.
/// </summary>
public sealed record NewRevision(
    int Number, string Status, IReadOnlyList<CandidateVote> Votes, long? InvalidVotes, DateTimeOffset? DeclaredAt, string Source,
    string? Reason, long? WinnerCandidateId, long? LotWinnerCandidateId, int? RecountNumber)
{
    /// <summary>The revision a request makes as revision <paramref name="number"/> with <paramref name="status"/>.</summary>
    public static NewRevision From(SubmitDeclarationRequest request, int number, string status, int? recountNumber = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(
            number,
            status,
            status == SeatState.DeclaredStatus ? request.Votes ?? [] : [],
            request.InvalidVotes,
            request.DeclaredAt,
            request.Source,
            string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason,
            request.WinnerCandidateId,
            request.LotWinnerCandidateId,
            status == SeatState.RecountStatus ? recountNumber ?? 1 : null);
    }
}

/// <summary>Why a declaration was refused; nothing is written.</summary>
public abstract record DeclarationRefusal
{
    private DeclarationRefusal()
    {
    }

    /// <summary>There is no such election (404).</summary>
    public sealed record ElectionNotFound(string ElectionId) : DeclarationRefusal;

    /// <summary>The election has no such constituency (404).</summary>
    public sealed record SeatNotFound(string ElectionId, string Code) : DeclarationRefusal;

    /// <summary>The election is certified (since <paramref name="CertifiedAt"/>): its results are final (409).</summary>
    public sealed record ElectionCertified(string ElectionId, DateTimeOffset CertifiedAt) : DeclarationRefusal;

    /// <summary>The Idempotency-Key was used before for a different request (422).</summary>
    public sealed record IdempotencyKeyReused : DeclarationRefusal;

    /// <summary><c>If-Match</c> names an older document of the seat (412); <paramref name="CurrentRevision"/> is null before any.</summary>
    public sealed record StaleETag(string Code, int? CurrentRevision) : DeclarationRefusal;

    /// <summary>A retraction of a seat that is not declared (409).</summary>
    public sealed record NothingToRetract(string Code) : DeclarationRefusal;

    /// <summary>A retraction, or a revision replacing revision <paramref name="CurrentRevision"/>, sent without <c>If-Match</c> (409).</summary>
    public sealed record IfMatchRequired(string Code, bool Retraction, int CurrentRevision) : DeclarationRefusal;

    /// <summary>A correction or recount without a reason (400 on <c>reason</c>).</summary>
    public sealed record ReasonRequired : DeclarationRefusal;

    /// <summary>The candidacies named do not fit the seat (400); the messages by field, as a validation problem lists them.</summary>
    public sealed record CandidaciesInvalid(IReadOnlyDictionary<string, string[]> Errors) : DeclarationRefusal;
}

/// <summary>What the rules decide about a declaration: the revision to write, or why not.</summary>
public abstract record DeclarationDecision
{
    private DeclarationDecision()
    {
    }

    public sealed record Accepted(NewRevision Revision) : DeclarationDecision;

    public sealed record Refused(DeclarationRefusal Refusal) : DeclarationDecision;
}

/// <summary>The rules a declaration must meet against the seat as it stands (see the note at the top of this file).</summary>
public static class DeclarationRules
{
    /// <summary>
    /// Decides a declaration that already passed the request's own checks. The checks run in this order and the first
    /// one that fails decides: a stale <c>If-Match</c> (412); a retraction of a seat that is not declared (409); the
    /// candidacies (400); when the revision replaces something published, a missing <c>If-Match</c> (409) and then a
    /// missing reason (400).
    /// </summary>
    /// <param name="seat">The seat as read under the write lock.</param>
    /// <param name="recountsSinceResult">Recount revisions of the seat since its last declared or uncontested one.</param>
    /// <param name="request">The declaration.</param>
    /// <param name="ifMatch">What the request's <c>If-Match</c> says about the current document.</param>
    public static DeclarationDecision Decide(SeatState seat, int recountsSinceResult, SubmitDeclarationRequest request, IfMatchCheck ifMatch)
    {
        ArgumentNullException.ThrowIfNull(seat);
        ArgumentNullException.ThrowIfNull(request);
        if (ifMatch == IfMatchCheck.Stale)
        {
            return Refuse(new DeclarationRefusal.StaleETag(seat.Code, seat.Current?.Number));
        }

        var status = request.Status ?? SeatState.DeclaredStatus;
        if (status == SeatState.NotDeclared && seat.Status == SeatState.NotDeclared)
        {
            return Refuse(new DeclarationRefusal.NothingToRetract(seat.Code));
        }

        if (CheckCandidates(seat, status, request) is { } errors)
        {
            return Refuse(new DeclarationRefusal.CandidaciesInvalid(errors));
        }

        if (RequiresIfMatch(seat, status, request))
        {
            if (ifMatch == IfMatchCheck.Absent)
            {
                return Refuse(new DeclarationRefusal.IfMatchRequired(seat.Code, status == SeatState.NotDeclared, seat.Current?.Number ?? 0));
            }

            if (string.IsNullOrWhiteSpace(request.Reason))
            {
                return Refuse(new DeclarationRefusal.ReasonRequired());
            }
        }

        return new DeclarationDecision.Accepted(NewRevision.From(request, (seat.Current?.Number ?? 0) + 1, status, recountsSinceResult + 1));
    }

    private static DeclarationDecision.Refused Refuse(DeclarationRefusal refusal) => new(refusal);

    /// <summary>
    /// Whether a new revision replaces something published, and so needs <c>If-Match</c> and a reason. Not for a seat's
    /// first revision, nor after a retraction or a postponed poll (the seat is open again), nor for the full declaration
    /// that follows a called winner and elects that same candidate; always for a retraction.
    /// </summary>
    public static bool RequiresIfMatch(SeatState seat, string status, SubmitDeclarationRequest request)
    {
        ArgumentNullException.ThrowIfNull(seat);
        if (status == SeatState.NotDeclared)
        {
            return true;
        }

        if (seat.Status is SeatState.NotDeclared or SeatState.PostponedStatus)
        {
            return false;
        }

        if (seat.Status == SeatState.WinnerKnownStatus && status is SeatState.DeclaredStatus or SeatState.UncontestedStatus)
        {
            var figures = SeatState.FiguresFor(ProposedRevision(status, request), seat.Candidates, seat.Electorate, seat.Previous);
            return figures?.Winner?.CandidacyId != seat.Current!.WinnerCandidacyId;
        }

        return true;
    }

    /// <summary>The revision a request would add, for judging it before it is stored.</summary>
    private static RevisionInfo ProposedRevision(string status, SubmitDeclarationRequest request) => new(
        0, 0, status, request.InvalidVotes, request.DeclaredAt, request.Source, "", request.Reason, DateTimeOffset.MinValue,
        (request.Votes ?? []).ToDictionary(v => v.CandidateId!.Value, v => v.Votes!.Value),
        request.WinnerCandidateId, request.LotWinnerCandidateId);

    /// <summary>
    /// A declaration names every candidacy of the seat exactly once; an uncontested seat has exactly one; a called winner
    /// is standing in the seat; a lot winner tied for first place.
    /// </summary>
    private static Dictionary<string, string[]>? CheckCandidates(SeatState seat, string status, SubmitDeclarationRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (status == SeatState.WinnerKnownStatus && seat.Candidates.All(c => c.Id != request.WinnerCandidateId))
        {
            errors["winnerCandidateId"] = [$"Candidate {request.WinnerCandidateId} is not standing in '{seat.Code}' at this election."];
        }

        if (status == SeatState.UncontestedStatus && seat.Candidates.Count != 1)
        {
            errors["status"] = [$"An uncontested seat has exactly one candidate; '{seat.Code}' has {seat.Candidates.Count}."];
        }

        if (status == SeatState.DeclaredStatus)
        {
            var standing = seat.Candidates.ToDictionary(c => c.Id);
            var votes = request.Votes ?? [];
            for (var i = 0; i < votes.Count; i++)
            {
                if (!standing.ContainsKey(votes[i].CandidateId!.Value))
                {
                    errors[$"votes[{i}].candidateId"] = [$"Candidate {votes[i].CandidateId} is not standing in '{seat.Code}' at this election."];
                }
            }

            var named = votes.Select(v => v.CandidateId!.Value).ToHashSet();
            var missing = seat.Candidates.Where(c => !named.Contains(c.Id)).ToArray();
            if (missing.Length > 0)
            {
                errors["votes"] = [$"Every candidacy must be listed; missing: {string.Join(", ", missing.Select(c => $"{c.Id} ({c.Name}, {c.Party})"))}."];
            }

            if (errors.Count == 0 && request.LotWinnerCandidateId is { } lot)
            {
                var byId = votes.ToDictionary(v => v.CandidateId!.Value, v => v.Votes!.Value);
                var ballot = seat.Candidates.Select(c => new CandidateVotes(c.Id, c.Name, c.Party, byId[c.Id])).ToArray();
                if (!SeatArithmetic.TiedForFirst(ballot, lot))
                {
                    errors["lotWinnerCandidateId"] = [$"Candidate {lot} did not tie for first place in these votes; only a tie for first is decided by lot."];
                }
            }
        }

        return errors.Count == 0 ? null : errors;
    }
}
