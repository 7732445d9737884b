using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
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
        : this(version, election, parties, seats, SeatLookup.PositionsOf(seats), areas, areas.ToDictionary(a => a.Id, StringComparer.Ordinal))
    {
    }

    /// <summary>
    /// A snapshot whose seats are at the <paramref name="positions"/> of an earlier one's (the same seats, some of them in a
    /// newer state): the index by code and the areas are shared, not built again. At 6,500 seats an index is a 160 kB
    /// object on the large-object heap, and one per declaration would drive full garbage collections.
    /// </summary>
    private ElectionSnapshot(
        long version, ElectionInfo election, IReadOnlyDictionary<string, PartyInfo> parties, IReadOnlyList<SeatState> seats,
        Dictionary<string, int> positions, IReadOnlyList<AreaInfo> areas, IReadOnlyDictionary<string, AreaInfo> areasById)
    {
        Version = version;
        Election = election;
        Parties = parties;
        Seats = seats;
        _seatsByCode = new SeatLookup(positions, seats);
        Areas = areas;
        AreasById = areasById;
        Cursor = seats.Count == 0 ? 0 : seats.Max(s => s.Cursor);
        Status = ElectionStatus.Of(seats, election.Certification is not null);
    }

    private readonly ConcurrentDictionary<DocumentKey, Lazy<RenderedDocument>> _rendered = new();
    /// <summary>The tally totals of the whole election (key "") and of each area read so far (<see cref="Totals"/>).</summary>
    private readonly ConcurrentDictionary<string, Lazy<TallyTotals>> _totals = new(StringComparer.Ordinal);

    /// <summary>
    /// Per-seat parts of list documents (<see cref="Fragment"/>), by kind, kept for as long as the seat's state lives: a
    /// snapshot patched from this one shares the seats it did not change, and so their parts.
    /// </summary>
    private ConcurrentDictionary<string, ConditionalWeakTable<SeatState, byte[]>> _fragments = new(StringComparer.Ordinal);

    /// <summary>
    /// Constituency documents (<see cref="SeatKey"/>), kept beside the seat's state like the <see cref="_fragments"/>: a
    /// patched snapshot shares them with the seats it shares, so a declaration copies no entry per constituency ever read
    /// (6,500 of them, once a night's readers have opened every seat).
    /// </summary>
    private ConditionalWeakTable<SeatState, Lazy<RenderedDocument>> _seatDocuments = new();

    private ConcurrentDictionary<string, Lazy<Task<object>>> _derived = new(StringComparer.Ordinal);

    /// <summary>What an earlier snapshot of this election had derived, for a computation that can carry on from it.</summary>
    private IReadOnlyDictionary<string, object> _seeds = new Dictionary<string, object>(StringComparer.Ordinal);

    /// <summary>The instant this snapshot shows the election as published at (time travel); null for the current state.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>The change-feed cursor of this snapshot: the newest revision's or nominations change's id (0 when there is none).</summary>
    public long Cursor { get; }

    /// <summary>
    /// A document of this snapshot, rendered on first use and kept for the snapshot's life, or until its
    /// <see cref="RenderedDocument.ExpiresAt"/> when it depends on the time (<paramref name="now"/>). Single-flight: when
    /// many readers ask at once for a document a write has just made stale, one renders it and the others wait for it.
    /// </summary>
    public RenderedDocument Rendered(DocumentKey key, Func<ElectionSnapshot, RenderedDocument> render, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(render);
        if (key is SeatKey { Code: var code } && _seatsByCode.TryGetValue(code, out var seat))
        {
            return RenderedForSeat(seat, render);
        }

        while (true)
        {
            if (_rendered.TryGetValue(key, out var slot))
            {
                if (!slot.IsValueCreated || !(slot.Value.ExpiresAt <= now))
                {
                    try
                    {
                        return slot.Value;
                    }
                    catch (Exception)
                    {
                        // A failed render is forgotten, so that the next reader tries again.
                        _rendered.TryRemove(KeyValuePair.Create(key, slot));
                        throw;
                    }
                }

                var fresh = new Lazy<RenderedDocument>(() => render(this));
                if (_rendered.TryUpdate(key, fresh, slot))
                {
                    continue;
                }
            }
            else
            {
                _rendered.TryAdd(key, new Lazy<RenderedDocument>(() => render(this)));
            }
        }
    }

    /// <summary>
    /// The sums the tally of <paramref name="area"/> (of the whole election when null) is worked out from: summed over its
    /// seats on first use, then carried to each newer snapshot with only the changed seats taken out and put in again
    /// (<see cref="WithSeats"/>).
    /// </summary>
    public TallyTotals Totals(AreaInfo? area) =>
        _totals.GetOrAdd(area?.Id ?? WholeElection, _ => new Lazy<TallyTotals>(() => TallyTotals.Of(SeatsOf(area).Select(s => s.ToOutcome())))).Value;

    private const string WholeElection = "";

    /// <summary>The seats of <paramref name="area"/> in name order; every seat when it is null.</summary>
    public IEnumerable<SeatState> SeatsOf(AreaInfo? area)
    {
        if (area is null)
        {
            return Seats;
        }

        var members = area.ConstituencyCodes.ToHashSet(StringComparer.Ordinal);
        return Seats.Where(s => members.Contains(s.Code));
    }

    /// <summary>
    /// The part of a list document that shows <paramref name="seat"/> (of the kind <paramref name="kind"/>: a JSON item, a CSV
    /// line), rendered once for as long as the seat's state lasts. A declaration changes one seat's state, so re-rendering a
    /// list after it renders that seat's part alone and joins the rest as they are.
    /// </summary>
    /// <remarks>The part may depend on the seat and on what every snapshot sharing the seat shares (the parties, the election), nothing else.</remarks>
    public byte[] Fragment(string kind, SeatState seat, Func<ElectionSnapshot, SeatState, byte[]> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        var parts = _fragments.GetOrAdd(kind, _ => new ConditionalWeakTable<SeatState, byte[]>());
        if (parts.TryGetValue(seat, out var part))
        {
            return part;
        }

        part = render(this, seat);
        parts.AddOrUpdate(seat, part);
        return part;
    }

    /// <summary>
    /// <see cref="Rendered"/> for a constituency document, kept with the seat's state for as long as that lives: it depends on
    /// the data alone, never on the clock (<see cref="SeatKey"/>).
    /// </summary>
    private RenderedDocument RenderedForSeat(SeatState seat, Func<ElectionSnapshot, RenderedDocument> render)
    {
        var slot = _seatDocuments.GetValue(seat, _ => new Lazy<RenderedDocument>(() => render(this)));
        try
        {
            return slot.Value;
        }
        catch (Exception)
        {
            // A failed render is forgotten, so that the next reader tries again.
            _seatDocuments.Remove(seat);
            throw;
        }
    }

    /// <summary>True when the document <paramref name="key"/> has been rendered (or is being rendered) for this snapshot.</summary>
    public bool HasRendered(DocumentKey key) =>
        key is SeatKey { Code: var code } && _seatsByCode.TryGetValue(code, out var seat) ? _seatDocuments.TryGetValue(seat, out _) : _rendered.ContainsKey(key);

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

    public long Version { get; }

    /// <summary>The election's status (<see cref="ElectionStatus"/>): from its seats, and its certification.</summary>
    public string Status { get; }

    public ElectionInfo Election { get; }

    public IReadOnlyDictionary<string, PartyInfo> Parties { get; }

    /// <summary>Seats ordered by name.</summary>
    public IReadOnlyList<SeatState> Seats { get; }

    /// <summary>The seats by code (an index of positions in <see cref="Seats"/>, shared by the snapshots patched from this one).</summary>
    public IReadOnlyDictionary<string, SeatState> SeatsByCode => _seatsByCode;

    private readonly SeatLookup _seatsByCode;

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
        var patched = new ElectionSnapshot(version, Election, Parties, seats, _seatsByCode.Positions, Areas, AreasById) { _fragments = _fragments, _seatDocuments = _seatDocuments };
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
        foreach (var (id, lazy) in _totals)
        {
            if (lazy.IsValueCreated)
            {
                var totals = lazy.Value;
                foreach (var seat in changed)
                {
                    if (SeatsByCode.TryGetValue(seat.Code, out var before) && (id == WholeElection || seat.AreaIds.Contains(id)))
                    {
                        totals = totals.Replace(before.ToOutcome(), seat.ToOutcome());
                    }
                }

                patched._totals[id] = new Lazy<TallyTotals>(totals);
            }
        }

        var statusChanged = patched.Status != Status;
        foreach (var (key, document) in _rendered)
        {
            if (document.IsValueCreated && !key.IsAffectedBy(codes, touchedAreas, statusChanged))
            {
                patched._rendered.TryAdd(key, document);
            }
        }

        return patched;
    }

    /// <summary>Seats by code: an index of positions built once per seat list, read against each snapshot's seats.</summary>
    private sealed class SeatLookup(Dictionary<string, int> positions, IReadOnlyList<SeatState> seats) : IReadOnlyDictionary<string, SeatState>
    {
        public Dictionary<string, int> Positions => positions;

        public static Dictionary<string, int> PositionsOf(IReadOnlyList<SeatState> seats)
        {
            var index = new Dictionary<string, int>(seats.Count, StringComparer.Ordinal);
            for (var i = 0; i < seats.Count; i++)
            {
                index.Add(seats[i].Code, i);
            }

            return index;
        }

        public SeatState this[string key] => TryGetValue(key, out var seat) ? seat : throw new KeyNotFoundException($"No seat {key}.");

        public IEnumerable<string> Keys => seats.Select(s => s.Code);

        public IEnumerable<SeatState> Values => seats;

        public int Count => seats.Count;

        public bool ContainsKey(string key) => positions.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out SeatState value)
        {
            if (positions.TryGetValue(key, out var at))
            {
                value = seats[at];
                return true;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, SeatState>> GetEnumerator() => seats.Select(s => KeyValuePair.Create(s.Code, s)).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
