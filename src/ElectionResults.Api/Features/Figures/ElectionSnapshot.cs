using System.Collections.Concurrent;
using ElectionResults.Api.Infrastructure.Http;

namespace ElectionResults.Api.Features.Figures;

public sealed record ElectionInfo(string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest);

public sealed record PartyInfo(string Code, string Name, string Colour);

public sealed record AreaInfo(string Id, string Name, string Kind, IReadOnlyList<string> ConstituencyCodes);

public sealed record Candidacy(long Id, string Name, string Party);

/// <summary>One stored revision of a seat's result.</summary>
/// <remarks>DeclarationId is the revision's row id: a database sequence, increasing in commit order (writers are serialised), used as the change-feed cursor.</remarks>
public sealed record RevisionInfo(
    long DeclarationId, int Number, string Status, long? InvalidVotes, DateTimeOffset? DeclaredAt, string Source, string EnteredBy,
    string? Reason, DateTimeOffset RecordedAt, IReadOnlyDictionary<long, long> VotesByCandidacy);

/// <summary>A constituency at one election: its candidates, its current (latest) revision and the figures derived from it.</summary>
public sealed record SeatState(
    string Code, string Name, long? Electorate, IReadOnlyList<Candidacy> Candidates, IReadOnlyList<string> AreaIds,
    RevisionInfo? Current, PreviousSeat? Previous, SeatFigures? Figures)
{
    public const string NotDeclared = "notDeclared";

    public string Status => Current?.Status ?? NotDeclared;

    /// <summary>A seat counts in tallies when its latest revision carries a result (declared or uncontested).</summary>
    public bool HasResult => Figures is not null;

    public SeatOutcome ToOutcome() => new(
        Code,
        HasResult,
        Figures?.Winner?.Party,
        Previous?.WinnerParty,
        Figures is null ? Empty : VotesByParty(Figures.Candidates),
        Previous?.VotesByParty);

    private static readonly IReadOnlyDictionary<string, long> Empty = new Dictionary<string, long>();

    public static IReadOnlyDictionary<string, long> VotesByParty(IEnumerable<CandidateFigures> candidates) =>
        candidates.GroupBy(c => c.Party, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Votes), StringComparer.Ordinal);

    /// <summary>Figures for one revision of this seat, judged against the previous election's result.</summary>
    public static SeatFigures? FiguresFor(RevisionInfo? revision, IReadOnlyList<Candidacy> candidates, long? electorate, PreviousSeat? previous)
    {
        if (revision is null || revision.Status == "recount")
        {
            return null;
        }

        var uncontested = revision.Status == "uncontested";
        var votes = candidates
            .Where(c => uncontested || revision.VotesByCandidacy.ContainsKey(c.Id))
            .Select(c => new CandidateVotes(c.Id, c.Name, c.Party, revision.VotesByCandidacy.GetValueOrDefault(c.Id)))
            .ToArray();
        return SeatArithmetic.Compute(votes, electorate, revision.InvalidVotes, previous, uncontested);
    }
}

/// <summary>
/// Everything needed to render any document of one election, read in one consistent database
/// snapshot. Immutable: a write produces a new version and therefore a new snapshot.
/// </summary>
public sealed class ElectionSnapshot
{
    public ElectionSnapshot(long version, ElectionInfo election, IReadOnlyDictionary<string, PartyInfo> parties, IReadOnlyList<SeatState> seats, IReadOnlyList<AreaInfo> areas)
    {
        Version = version;
        Election = election;
        Parties = parties;
        Seats = seats;
        SeatsByCode = seats.ToDictionary(s => s.Code, StringComparer.Ordinal);
        Areas = areas;
        AreasById = areas.ToDictionary(a => a.Id, StringComparer.Ordinal);
        Cursor = seats.Max(s => s.Current?.DeclarationId) ?? 0;
    }

    private readonly ConcurrentDictionary<string, RenderedDocument> _rendered = new(StringComparer.Ordinal);

    /// <summary>The change-feed cursor of this snapshot: the newest revision's id (0 when nothing is declared).</summary>
    public long Cursor { get; }

    /// <summary>A document of this snapshot, rendered on first use and kept for the snapshot's life.</summary>
    public RenderedDocument Rendered(string key, Func<ElectionSnapshot, RenderedDocument> render) =>
        _rendered.GetOrAdd(key, static (_, state) => state.render(state.snapshot), (render, snapshot: this));

    /// <summary>A document of this snapshot as a response, marked with the snapshot's version (see <see cref="HotDocuments"/>).</summary>
    public DocumentResult Serve(string key, Func<ElectionSnapshot, RenderedDocument> render) => new(Rendered(key, render), Version);

    /// <summary>Every document rendered so far (used to check the cache against fresh renders).</summary>
    public IReadOnlyDictionary<string, RenderedDocument> RenderedDocuments => _rendered;

    public long Version { get; }

    public ElectionInfo Election { get; }

    public IReadOnlyDictionary<string, PartyInfo> Parties { get; }

    /// <summary>Seats ordered by name.</summary>
    public IReadOnlyList<SeatState> Seats { get; }

    public IReadOnlyDictionary<string, SeatState> SeatsByCode { get; }

    public IReadOnlyList<AreaInfo> Areas { get; }

    public IReadOnlyDictionary<string, AreaInfo> AreasById { get; }

    public PartyInfo Party(string code) => Parties.TryGetValue(code, out var party) ? party : new PartyInfo(code, code, "#999999");

    /// <summary>
    /// This snapshot at a newer data version in which only the given seats changed (their declarations): the
    /// other seats, the areas and the parties are shared, and so is every rendered document that does not
    /// depend on the changed seats (other constituencies, area lists, tallies of areas without them).
    /// </summary>
    public ElectionSnapshot WithSeats(long version, IReadOnlyCollection<SeatState> changed)
    {
        var replacements = changed.ToDictionary(seat => seat.Code, StringComparer.Ordinal);
        var seats = Seats.Select(seat => replacements.GetValueOrDefault(seat.Code, seat)).ToArray();
        var patched = new ElectionSnapshot(version, Election, Parties, seats, Areas);
        var touchedAreas = changed.SelectMany(seat => seat.AreaIds).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, document) in _rendered)
        {
            if (changed.Count == 0 || StillValid(key, replacements, touchedAreas))
            {
                patched._rendered.TryAdd(key, document);
            }
        }

        return patched;
    }

    private static bool StillValid(string key, Dictionary<string, SeatState> changed, HashSet<string> touchedAreas)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var (kind, id) = colon < 0 ? (key, "") : (key[..colon], key[(colon + 1)..]);
        return kind switch
        {
            "election" or "areas" or "area" => true,
            "seat" => !changed.ContainsKey(id),
            "tally" or "tally.csv" => id.Length > 0 && !touchedAreas.Contains(id),
            _ => false,
        };
    }
}
