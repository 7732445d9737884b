using ElectionResults.Api.Features.Imports;

namespace ElectionResults.Api.Features.Replays;

/// <summary>
/// The virtual clock of a replay: moves a time of the source's night to the rehearsal's night, keeping its UK
/// (Europe/London) time of day and its day offset from the source's polling day. The rehearsal's night is
/// <see cref="NightOf"/>, the UK date on which the replay started, so a declaration at 02:30 the morning after the
/// source's polling day lands at 02:30 the morning after the replay's start date, in GMT or BST as that date has it.
/// </summary>
/// <remarks>
/// The time of day is kept rather than the spacing (a shift by start − first revision), because what a rehearsal must
/// read like is the night: a result declared at 02:30 says 02:30, whatever the speed or the hour the replay started.
/// The order of the night is kept too, also when the rehearsal's night is one on which the clocks change: a time in the
/// hour the clocks skip (01:00–02:00 on the last Sunday of March) lands at the moment they go forward (02:00 BST), and
/// one in the hour they repeat (01:00–02:00 on the last Sunday of October) is read as the first, summer, one.
/// </remarks>
/// <param name="SourcePollingDay">The source election's polling day.</param>
/// <param name="NightOf">The rehearsal's polling day: the UK date on which the replay started.</param>
public sealed record NightClock(DateOnly SourcePollingDay, DateOnly NightOf)
{
    /// <summary>The clock of a replay of an election held on <paramref name="sourcePollingDay"/> that started at <paramref name="startAt"/>.</summary>
    public static NightClock Starting(DateOnly sourcePollingDay, DateTimeOffset startAt) =>
        new(sourcePollingDay, DateOnly.FromDateTime(UkTime.ToLocal(startAt)));

    /// <summary>
    /// The rehearsal's time for <paramref name="original"/>: the UK date NightOf + (the original's UK date − SourcePollingDay),
    /// at the original's UK time of day, with that date's UK offset.
    /// </summary>
    public DateTimeOffset ToNight(DateTimeOffset original)
    {
        var local = UkTime.ToLocal(original);
        var days = DateOnly.FromDateTime(local).DayNumber - SourcePollingDay.DayNumber;
        var target = NightOf.AddDays(days).ToDateTime(TimeOnly.FromDateTime(local));
        var night = UkTime.FromLocal(target);
        // A wall-clock time that does not exist that night (the clocks skip it) is the moment they go forward: 02:00 BST.
        return UkTime.ToLocal(night) == target ? night : UkTime.FromLocal(target.Date.AddHours(2));
    }

    /// <inheritdoc cref="ToNight(DateTimeOffset)"/>
    public DateTimeOffset? ToNight(DateTimeOffset? original) => original is { } at ? ToNight(at) : null;
}
