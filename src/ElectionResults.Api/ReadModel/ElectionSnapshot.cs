using System.Collections.Concurrent;
using ElectionResults.Api.Features.Figures;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// Everything needed to render any document of one election, read in one consistent database
/// snapshot (<see cref="SnapshotLoader"/>), with the documents rendered from it so far. Immutable: a write produces a
/// new version and therefore a new snapshot.
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
        Cursor = seats.Count == 0 ? 0 : seats.Max(s => s.Cursor);
        Status = ElectionStatus.Of(seats, election.Certification is not null);
    }

    private readonly ConcurrentDictionary<DocumentKey, RenderedDocument> _rendered = new();
    private ConcurrentDictionary<string, Lazy<Task<object>>> _derived = new(StringComparer.Ordinal);

    /// <summary>What an earlier snapshot of this election had derived, for a computation that can carry on from it.</summary>
    private IReadOnlyDictionary<string, object> _seeds = new Dictionary<string, object>(StringComparer.Ordinal);

    /// <summary>The instant this snapshot shows the election as published at (time travel); null for the current state.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>The change-feed cursor of this snapshot: the newest revision's or nominations change's id (0 when there is none).</summary>
    public long Cursor { get; }

    /// <summary>
    /// A document of this snapshot, rendered on first use and kept for the snapshot's life, or until its
    /// <see cref="RenderedDocument.ExpiresAt"/> when it depends on the time (<paramref name="now"/>).
    /// </summary>
    public RenderedDocument Rendered(DocumentKey key, Func<ElectionSnapshot, RenderedDocument> render, DateTimeOffset? now = null)
    {
        if (_rendered.TryGetValue(key, out var cached) && !(cached.ExpiresAt <= now))
        {
            return cached;
        }

        var fresh = render(this);
        _rendered[key] = fresh;
        return fresh;
    }

    /// <summary>
    /// A document of this snapshot as a response, marked with the snapshot's version and election so that the front door
    /// (<see cref="HotDocuments"/>) may answer the same request until either changes.
    /// </summary>
    public DocumentResult Serve(DocumentKey key, Func<ElectionSnapshot, RenderedDocument> render, DateTimeOffset? now = null) =>
        new(Rendered(key, render, now), Version, electionId: Election.Id);

    /// <summary>
    /// A value derived from this snapshot with a read of its own (the change feed's milestones, from every revision up to
    /// <see cref="Cursor"/>), computed once by the first caller and shared with every other reader of the snapshot. A failed
    /// computation is forgotten, so that the next caller tries again; <paramref name="compute"/> should therefore not depend on
    /// one caller's cancellation.
    /// </summary>
    public Task<T> DerivedAsync<T>(string name, Func<Task<T>> compute, CancellationToken ct) where T : class
    {
        ArgumentNullException.ThrowIfNull(compute);
        return DerivedAsync<T>(name, _ => compute(), ct);
    }

    /// <summary>
    /// <see cref="DerivedAsync{T}(string, Func{Task{T}}, CancellationToken)"/> for a computation that can carry on from what an
    /// earlier snapshot of the election derived under the same name (its seed, null when there is none): after a seat's
    /// declaration only the new revisions need reading. The computation must check that the seed still applies.
    /// </summary>
    public async Task<T> DerivedAsync<T>(string name, Func<T?, Task<T>> compute, CancellationToken ct) where T : class
    {
        ArgumentNullException.ThrowIfNull(compute);
        var lazy = _derived.GetOrAdd(name, _ => new Lazy<Task<object>>(async () => await compute(_seeds.GetValueOrDefault(name) as T)));
        var task = lazy.Value;
        try
        {
            return (T)await task.WaitAsync(ct);
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            _derived.TryRemove(new KeyValuePair<string, Lazy<Task<object>>>(name, lazy));
            throw;
        }
    }

    /// <summary>Every document rendered so far.</summary>
    public IReadOnlyDictionary<DocumentKey, RenderedDocument> RenderedDocuments => _rendered;

    public long Version { get; }

    /// <summary>The election's status (<see cref="ElectionStatus"/>): from its seats, and its certification.</summary>
    public string Status { get; }

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
    /// other seats, the areas and the parties are shared, and so is every rendered document whose key is not affected
    /// by the changed seats (<see cref="DocumentKey.IsAffectedBy(IReadOnlySet{string}, IReadOnlySet{string}, bool)"/>: other
    /// constituencies, area lists, tallies of areas without them, and, while the election's status stays the same, the
    /// election document).
    /// </summary>
    public ElectionSnapshot WithSeats(long version, IReadOnlyCollection<SeatState> changed)
    {
        var replacements = changed.ToDictionary(seat => seat.Code, StringComparer.Ordinal);
        var seats = Seats.Select(seat => replacements.GetValueOrDefault(seat.Code, seat)).ToArray();
        var patched = new ElectionSnapshot(version, Election, Parties, seats, Areas);
        if (changed.Count == 0)
        {
            // Nothing of this election changed (the version moved for another one): what was derived from it still holds.
            patched._derived = _derived;
        }
        else
        {
            // What was derived here (or carried here) seeds the same computations of the new snapshot.
            var seeds = new Dictionary<string, object>(_seeds, StringComparer.Ordinal);
            foreach (var (name, lazy) in _derived)
            {
                if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
                {
                    seeds[name] = lazy.Value.Result;
                }
            }

            patched._seeds = seeds;
        }

        var codes = replacements.Keys.ToHashSet(StringComparer.Ordinal);
        var touchedAreas = changed.SelectMany(seat => seat.AreaIds).ToHashSet(StringComparer.Ordinal);
        var statusChanged = patched.Status != Status;
        foreach (var (key, document) in _rendered)
        {
            if (!key.IsAffectedBy(codes, touchedAreas, statusChanged))
            {
                patched._rendered.TryAdd(key, document);
            }
        }

        return patched;
    }
}
