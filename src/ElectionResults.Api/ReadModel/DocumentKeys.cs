namespace ElectionResults.Api.ReadModel;

/// <summary>
/// The name of a document rendered from an <see cref="ElectionSnapshot"/> (or from reference data), and what it depends
/// on. A snapshot keeps each rendered document under its key; when only some seats' declarations change, it keeps every
/// document whose key says it is not affected (<see cref="IsAffectedBy(IReadOnlySet{string}, IReadOnlySet{string}, bool)"/>) and
/// renders the others again on demand.
/// Records: two keys for the same document are equal (and hash alike), so they serve as dictionary keys.
/// </summary>
public abstract record DocumentKey
{
    /// <summary>
    /// True when the document may differ after the declarations of <paramref name="seats"/> changed; <paramref name="areas"/>
    /// are the areas those seats belong to. Both empty: nothing in this election changed.
    /// </summary>
    public abstract bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas);

    /// <summary>
    /// True when the document carries the election's status (<see cref="Features.Figures.ElectionStatus"/>), which the
    /// declarations of any seat may change: such a document is affected whenever the status changes, whichever seats did it.
    /// </summary>
    public virtual bool ShowsElectionStatus => false;

    /// <summary>
    /// True when the document may differ after the declarations of <paramref name="seats"/> changed (in
    /// <paramref name="areas"/>) and the election's status changed with them (<paramref name="statusChanged"/>) or not.
    /// </summary>
    public bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas, bool statusChanged) =>
        IsAffectedBy(seats, areas) || (statusChanged && ShowsElectionStatus);

    /// <summary>For documents built from every seat: any changed seat affects them.</summary>
    private protected static bool AnySeat(IReadOnlySet<string> seats) => seats.Count > 0;

    /// <summary>For documents of one area (or of the whole election when <paramref name="areaId"/> is null).</summary>
    private protected static bool AreaOrAnySeat(string? areaId, IReadOnlySet<string> seats, IReadOnlySet<string> areas) =>
        areaId is null ? AnySeat(seats) : areas.Contains(areaId);
}

/// <summary>
/// The election document: its name, polling day and kind change with no declaration, but its `status` is derived from
/// every seat, so declarations change it whenever they change the status (and only then).
/// </summary>
public sealed record ElectionKey : DocumentKey
{
    public static readonly ElectionKey Instance = new();

    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => false;

    public override bool ShowsElectionStatus => true;
}

/// <summary>The hex map of an election's boundary set: declarations never change it.</summary>
public sealed record HexMapKey : DocumentKey
{
    public static readonly HexMapKey Instance = new();

    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => false;
}

/// <summary>The list of an election's areas: declarations never change it.</summary>
public sealed record AreaListKey : DocumentKey
{
    public static readonly AreaListKey Instance = new();

    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => false;
}

/// <summary>One area (its name, kind and members): declarations never change it.</summary>
public sealed record AreaKey(string AreaId) : DocumentKey
{
    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => false;
}

/// <summary>
/// A constituency document: it depends on its own seat alone, and not on the clock (no <see cref="RenderedDocument.ExpiresAt"/>),
/// so a snapshot keeps it with the seat's state (<see cref="ElectionSnapshot.Rendered"/>).
/// </summary>
public sealed record SeatKey(string Code) : DocumentKey
{
    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => seats.Contains(Code);
}

/// <summary>
/// The state of the parties of an area (or of the whole election when <paramref name="AreaId"/> is null), with small
/// parties folded into Others (<paramref name="Others"/> seats, 0 for none), as JSON or as CSV.
/// </summary>
public sealed record TallyKey(string? AreaId, int Others, bool Csv) : DocumentKey
{
    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => AreaOrAnySeat(AreaId, seats, areas);

    /// <summary>The JSON tally of every area carries the whole election's `electionStatus` (the CSV does not).</summary>
    public override bool ShowsElectionStatus => !Csv;
}

/// <summary>The per-candidate results CSV of an area (or of the whole election when <paramref name="AreaId"/> is null).</summary>
public sealed record ResultsCsvKey(string? AreaId) : DocumentKey
{
    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => AreaOrAnySeat(AreaId, seats, areas);
}

/// <summary>
/// A constituency list with its filters (searches are rendered per request and never kept). A seat's declaration can
/// move it into or out of any filter (status, gains, winner's party), so any changed seat affects every list.
/// </summary>
public sealed record ConstituencyListKey(
    string? AreaId, string? Status, bool Gains, string? Party, string? Sort, DateTimeOffset? ExpectedBefore, bool Csv) : DocumentKey
{
    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => AnySeat(seats);
}

/// <summary>The timeline of the night (of an area's seats, or of all when <paramref name="AreaId"/> is null): every revision changes it.</summary>
public sealed record TimelineKey(string? AreaId, bool Csv) : DocumentKey
{
    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => AnySeat(seats);
}

/// <summary>The list of parties (reference data): declarations never change it.</summary>
public sealed record PartyListKey : DocumentKey
{
    public static readonly PartyListKey Instance = new();

    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => false;
}

/// <summary>
/// The list of elections, live ones only or with rehearsals (reference data). Each item carries its election's `status`,
/// derived from its seats, and the list is read from the database rather than from snapshots: any seat's declaration
/// may change it (it is read again, and keeps its ETag when no status moved).
/// </summary>
public sealed record ElectionListKey(bool IncludeTest) : DocumentKey
{
    public override bool IsAffectedBy(IReadOnlySet<string> seats, IReadOnlySet<string> areas) => AnySeat(seats);

    public override bool ShowsElectionStatus => true;
}
