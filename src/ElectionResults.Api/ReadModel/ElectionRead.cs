using ElectionResults.Api.Features.Baselines;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Features.TimeTravel;
using ElectionResults.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// The one read path of an election's documents, bound with <c>[AsParameters]</c> by every document GET under
/// <c>/v1/elections/{electionId}</c>: it finds the snapshot (now, as of an instant, or compared with another baseline),
/// the area or seat the path names, answers every "there is no such thing" the same way, and serves a document under
/// one rule: rendered once per snapshot and key (<see cref="ElectionSnapshot.Rendered"/>), remembered by the front door
/// (<see cref="HotDocuments"/>) while it is current, tagged and conditional (<see cref="DocumentResult"/>), and immutable
/// once it shows a past instant.
/// </summary>
/// <remarks>Endpoints keep their own query parameters (others, status, …) and their own rendering; nothing else.</remarks>
public sealed class ElectionRead
{
    // The election the path names (documented as the path parameter it has always been).
    [FromRoute(Name = "electionId")]
    public required string ElectionId { get; init; }

    public required HttpContext Http { get; init; }

    public required SnapshotStore Snapshots { get; init; }

    public required PastSnapshots Past { get; init; }

    public required DocumentSerializer Documents { get; init; }

    public required HotDocuments FrontDoor { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>True when the client asked for CSV (<c>Accept: text/csv</c> or <c>format=csv</c>).</summary>
    public bool WantsCsv => Csv.IsWanted(Http.Request);

    /// <summary>The election's current snapshot and the area <paramref name="areaId"/> of it (when one is asked for), or the 404 of either.</summary>
    public async ValueTask<Found> CurrentAsync(string? areaId = null) =>
        WithArea(await Snapshots.GetAsync(ElectionId, Http.RequestAborted), null, areaId);

    /// <summary>
    /// The election's snapshot as of <paramref name="asOf"/> (now when null), compared with <paramref name="baseline"/> when
    /// given, and the area <paramref name="areaId"/> of it: or the 400 of a bad <c>asOf</c> or <c>baseline</c>, or the 404 of
    /// a missing election or area.
    /// </summary>
    public async ValueTask<Found> AtAsync(string? asOf, string? baseline = null, string? areaId = null)
    {
        if (!AsOf.TryParse(asOf, out var instant, out var badAsOf))
        {
            return new Found { Problem = badAsOf };
        }

        var (snapshot, badBaseline) = await BaselineParameter.ResolveAsync(Snapshots, Past, ElectionId, instant, baseline, Http.RequestAborted);
        return badBaseline is not null ? new Found { Problem = badBaseline } : WithArea(snapshot, instant, areaId);
    }

    private Found WithArea(ElectionSnapshot? snapshot, DateTimeOffset? instant, string? areaId)
    {
        if (snapshot is null)
        {
            return new Found { Problem = Problems.NoElection(ElectionId) };
        }

        AreaInfo? area = null;
        if (areaId is not null && !snapshot.AreasById.TryGetValue(areaId, out area))
        {
            return new Found { Problem = Problems.NoArea(ElectionId, areaId) };
        }

        return new Found { Snapshot = snapshot, Instant = instant, Area = area };
    }

    /// <summary>The seat <paramref name="code"/> of the snapshot, or its 404.</summary>
    public IResult? Seat(Found found, string code, out SeatState? seat)
    {
        seat = null;
        return found.Snapshot?.SeatsByCode.TryGetValue(code, out seat) == true ? null : Problems.NoConstituency(ElectionId, code);
    }

    /// <summary>
    /// The document <paramref name="key"/> of the snapshot found, rendered on first use. A current one is remembered by
    /// the front door for this very request; one of a past instant is sent as immutable.
    /// </summary>
    public IResult Serve(Found found, DocumentKey key, Func<ElectionSnapshot, RenderedDocument> render)
    {
        var snapshot = found.Snapshot!;
        if (found.Instant is { } instant)
        {
            // Counted as the clock stood at that instant (a tally's seats expected within the hour).
            return new DocumentResult(snapshot.Rendered(key, render), CachePolicy.ForInstant(instant, Time.GetUtcNow()));
        }

        var document = snapshot.Rendered(key, render, Time.GetUtcNow());
        FrontDoor.Remember(Http.Request, snapshot.Version, document, snapshot.Election.Id);
        return new DocumentResult(document);
    }

    /// <summary>
    /// <see cref="Serve"/> for a document whose rendering reads more than the snapshot (the timeline reads every revision,
    /// at least as new as the snapshot): read and rendered once per snapshot.
    /// </summary>
    public async Task<IResult> ServeAsync(Found found, DocumentKey key, Func<ElectionSnapshot, Task<RenderedDocument>> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        var snapshot = found.Snapshot!;
        if (!snapshot.HasRendered(key))
        {
            var document = await render(snapshot);
            return Serve(found, key, _ => document);
        }

        return Serve(found, key, _ => throw new InvalidOperationException($"{key} is rendered."));
    }

    /// <summary>A document rendered for this request alone (a name search: there are as many as strings), never kept.</summary>
    public IResult ServeOnce(Found found, RenderedDocument document) =>
        new DocumentResult(document, found.Instant is { } instant ? CachePolicy.ForInstant(instant, Time.GetUtcNow()) : null);

    /// <summary>The instant a document is computed for: the one asked for, else now.</summary>
    public DateTimeOffset InstantOf(Found found) => found.Instant ?? Time.GetUtcNow();

    /// <summary>
    /// What the read found: the snapshot, the instant asked for (null for now) and the area asked for (null for none); or,
    /// instead, the problem to answer with.
    /// </summary>
    public readonly record struct Found
    {
        public ElectionSnapshot? Snapshot { get; init; }

        public DateTimeOffset? Instant { get; init; }

        public AreaInfo? Area { get; init; }

        public IResult? Problem { get; init; }
    }
}
