using System.Collections.Concurrent;
using System.Globalization;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// What each recent data version changed, as notified (or as committed by this process): the last
/// <see cref="VersionsKept"/> versions at least. A version missing here counts as "anything changed".
/// The snapshot cache reads it to re-read only the seats whose declarations changed.
/// </summary>
public sealed class SeatChangeLog
{
    public const int VersionsKept = 10_000;

    /// <summary>The longest run of versions <see cref="TryGetSeatChanges"/> looks through before it gives up (a reload is cheaper).</summary>
    public const int MaxSpan = 1_000;

    private readonly ConcurrentDictionary<long, ChangeScope> _scopes = new();

    /// <summary>Records what <paramref name="version"/> changed.</summary>
    public void Record(long version, ChangeScope scope)
    {
        _scopes[version] = scope;
        if (_scopes.Count > VersionsKept * 2)
        {
            foreach (var old in _scopes.Keys.Where(v => v < version - VersionsKept))
            {
                _scopes.TryRemove(old, out _);
            }
        }
    }

    /// <summary>
    /// The seats changed by every version after <paramref name="after"/> up to <paramref name="upTo"/>, when each of
    /// them is known to have changed only one seat's declarations; false when any may have changed more.
    /// </summary>
    public bool TryGetSeatChanges(long after, long upTo, out IReadOnlyList<ChangeScope> seats)
    {
        var found = new List<ChangeScope>();
        seats = found;
        if (upTo - after > MaxSpan)
        {
            return false;
        }

        for (var version = after + 1; version <= upTo; version++)
        {
            if (!_scopes.TryGetValue(version, out var scope) || scope.Code is null)
            {
                return false;
            }

            found.Add(scope);
        }

        return true;
    }
}

/// <summary>
/// What a write changed: one seat's declarations (<see cref="ElectionId"/> and <see cref="Code"/>), or, with
/// both null, anything. Sent as the notification's payload after the version: <c>"42 ge2017 E14000810"</c> or <c>"42"</c>.
/// </summary>
public sealed record ChangeScope(string? ElectionId, string? Code)
{
    public static readonly ChangeScope Anything = new(null, null);

    public static ChangeScope Seat(string electionId, string code) => new(electionId, code);

    public static bool TryParse(string payload, out long version, out ChangeScope scope)
    {
        var parts = payload.Split(' ');
        scope = parts.Length == 3 ? Seat(parts[1], parts[2]) : Anything;
        return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }
}
