using FluentValidation;

namespace ElectionResults.Api.Features.Replays;

/// <summary>Plays a past night into a test election.</summary>
/// <param name="SourceElectionId">The election whose revisions are played (e.g. `ge2017`), corrections included.</param>
/// <param name="Speed">How much faster than real time: 1 = real time, 60 = the 2017 night in about 22 minutes, 3600 = in seconds. Greater than 0, at most 100,000.</param>
/// <param name="StartAt">When the first revision is published (ISO 8601 with offset); omitted: now.</param>
public sealed record StartReplayRequest(string SourceElectionId, double? Speed, DateTimeOffset? StartAt = null);

public sealed class StartReplayRequestValidator : AbstractValidator<StartReplayRequest>
{
    public StartReplayRequestValidator()
    {
        RuleFor(r => r.SourceElectionId).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Speed).NotNull().GreaterThan(0).LessThanOrEqualTo(ReplayStore.MaxSpeed);
    }
}

/// <summary>Pauses, resumes or changes the speed of the current replay.</summary>
/// <param name="State">`playing` (resume) or `paused`; omitted: unchanged.</param>
/// <param name="Speed">The new speed (greater than 0, at most 100,000); omitted: unchanged. Revisions already published stay; the rest follow at the new speed from where the replay is.</param>
public sealed record UpdateReplayRequest(string? State, double? Speed);

public sealed class UpdateReplayRequestValidator : AbstractValidator<UpdateReplayRequest>
{
    public UpdateReplayRequestValidator()
    {
        RuleFor(r => r.State).Must(s => s is null or ReplayStore.Playing or ReplayStore.Paused).WithMessage("State must be playing or paused.");
        RuleFor(r => r.Speed).GreaterThan(0).LessThanOrEqualTo(ReplayStore.MaxSpeed).When(r => r.Speed is not null);
    }
}

/// <summary>Where a replay stands.</summary>
/// <param name="ElectionId">The test election it plays into.</param>
/// <param name="SourceElectionId">The election whose night it plays.</param>
/// <param name="State">`playing`, `paused`, `stopped` (by DELETE) or `finished` (every revision published).</param>
/// <param name="Speed">How much faster than real time it plays.</param>
/// <param name="StartAt">When its first revision was (or is to be) published, at the speed it started with.</param>
/// <param name="Total">Revisions in the plan: every revision of the source, corrections included.</param>
/// <param name="Published">Revisions published so far.</param>
/// <param name="Remaining">total − published.</param>
/// <param name="NextAt">When the next revision is due at the current speed; null when paused, stopped or finished.</param>
/// <param name="Position">The source's night as far as the replay has played it: the source's first publication time + the elapsed time × speed.</param>
/// <param name="NightOf">The rehearsal's polling day on the virtual clock: the UK date of `startAt`. Each replayed revision's `declaredAt` is the source's moved to this night (see `nightTime`); its `publishedAt` is the real moment it was played.</param>
/// <param name="NightTime">The virtual clock: `position` as the rehearsal's night reads it, in UTC. A source time T becomes the UK wall-clock time of day of T on the UK date `nightOf` + (T's UK date − the source's polling day), with that date's UK offset (GMT or BST), so 02:30 BST the morning after the 2017 polling day is 02:30 (GMT in December) the morning after `nightOf`. A time in the hour the clocks skip becomes 02:00 BST; one in the hour they repeat is the first (BST) one. Null when the source has no revisions.</param>
public sealed record ReplayResponse(
    string ElectionId, string SourceElectionId, string State, double Speed, DateTimeOffset StartAt, int Total, int Published, int Remaining,
    DateTimeOffset? NextAt, DateTimeOffset? Position, DateOnly NightOf, DateTimeOffset? NightTime);

public sealed class ReplayOptions
{
    public const string Section = "Replays";

    /// <summary>How long an instance's claim on a replay lasts without renewal; another instance takes over after it lapses.</summary>
    public double LeaseSeconds { get; set; } = 10;

    /// <summary>False: this instance never plays replays (the others do); it still starts, reads and changes them.</summary>
    public bool Play { get; set; } = true;

    /// <summary>The longest a player waits before looking at the replays again.</summary>
    public int PollMilliseconds { get; set; } = 250;
}
