using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Observability;
using ElectionResults.Api.ReadModel;
using Microsoft.AspNetCore.Mvc;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ElectionResults.Api.Features.Changes;

/// <summary>
/// The change feed: which constituencies changed after a cursor. The cursor is the id of a revision
/// (a PostgreSQL identity sequence; writes are serialised, so ids increase in commit order).
/// </summary>
public static class ChangeEndpoints
{
    public const int MaxWaitSeconds = 30;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapChanges(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}").WithTags("Changes");

        group.MapGet("/changes", GetChanges)
            .WithName(nameof(GetChanges))
            .WithSummary("What changed since a cursor (with optional long poll)")
            .WithDescription("""
                Returns the constituencies whose result or nominations changed after `since` (each once, as it stands now,
                with the `kind` of its latest change, what it replaced in `previous`, its `reason` and the `areas` whose tallies
                it changed) and the `cursor` to send next time. Start with `since=0` for every seat with a change.
                A `since` newer than the newest change (a cursor from another environment) is a 400 whose `newestCursor`
                says where to start again.

                **Polling guidance.** Either poll the documents you draw (every 2–5 s, sending `If-None-Match`: an
                unchanged document costs a 304), or hold one long poll here with `wait` (up to 30 s): the answer comes
                as soon as anything changes, else after `wait` seconds with no changes. Then fetch only the changed
                constituencies and the tallies. For a push stream use `/events` instead.

                **Milestones.** `milestones` lists, in cursor order, each moment after `since` at which a revision changed a
                party's standing against the overall majority line, floor(seats / 2) + 1 (326 of 650, where a majority is called;
                the tally's `workingMajorityLine` is not used): `majority` when the party's seats reach the line, `cannotReach`
                when its seats + the seats still open (won by no party) fall below it, and `canReach` when a correction or
                retraction undoes either (`previous` says which). Each is worked out from every revision in cursor order and
                depends only on the revisions up to its own cursor, so a milestone once listed never changes; a correction that
                undoes it is a milestone of its own. A party is followed from its first seat. The seats, open seats and line
                at that moment, the constituency whose revision it was and its times come with it. Cursor order is the order
                the revisions were stored: on the night, the order they were published; an import stores a file's seats in one
                go, in the file's order, so its milestones follow that order rather than the declaration times.
                """)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .ProducesNotAcceptable();

        group.MapGet("/events", StreamEvents)
            .WithName(nameof(StreamEvents))
            .WithSummary("Server-sent events: a stream of the change feed")
            .WithDescription("""
                `text/event-stream`. Each change is an event `constituency` whose `id` is its cursor and whose data is
                the same JSON object as an item of `/changes`. Each milestone (a party clinching a majority, `kind` =
                `majority`; no longer able to reach one, `cannotReach`; or one of those undone by a correction, `canReach`: see
                `/changes`) is an event `milestone` whose `id` is its cursor and whose data is the same JSON object as an item of
                `milestones` in `/changes`. Events go in cursor order; the events of one cursor (the revision's `constituency`
                event, then its milestones, by party code) are written together and share its id, and a stream resumed from an id
                sends only what came after it, so no milestone is repeated or lost. A comment line is sent every 15 s to keep proxies open.
                Resume after a disconnect with the `Last-Event-ID` header (browsers' EventSource does this itself) or
                `since`; with neither, the stream starts from now. A cursor newer than the newest change is a 400 (see `/changes`).
                """)
            .Produces<ChangeItem>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesNotAcceptable();

        return group;
    }

    public static async Task<Results<TaggedJson<ChangesResponse>, ProblemHttpResult, ValidationProblem>> GetChanges(
        string electionId,
        [Description("Cursor from the previous answer; 0 (the default) for everything declared so far.")] long? since,
        [Description("Seconds to wait for a change when there is none yet, 0–30 (default 0: answer at once).")] int? wait,
        SnapshotStore snapshots, VersionClock clock, NpgsqlDataSource dataSource, ElectionMetrics metrics, TimeProvider time, CancellationToken ct)
    {
        if (since < 0)
        {
            return Problems.Invalid("since", "The cursor is 0 or a value returned by this endpoint.");
        }

        if (wait is < 0 or > MaxWaitSeconds)
        {
            return Problems.Invalid("wait", $"wait is 0 to {MaxWaitSeconds} seconds.");
        }

        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NoElection(electionId);
        }

        var cursor = since ?? 0;
        if (await CursorFromElsewhereAsync(snapshot, cursor, dataSource, ct) is { } elsewhere)
        {
            return elsewhere;
        }

        var changes = ChangesAfter(snapshot, cursor);
        var deadline = time.GetUtcNow().AddSeconds(wait ?? 0);
        using var waiting = changes.Count == 0 && wait > 0 ? metrics.ClientConnected("long-poll") : null;
        while (changes.Count == 0 && time.GetUtcNow() < deadline)
        {
            // Notifications wake the wait at once; without the listener, ask again every second.
            var remaining = deadline - time.GetUtcNow();
            await clock.WaitForChangeAsync(snapshot.Version, clock.IsListening ? remaining : TimeSpan.FromSeconds(Math.Min(1, remaining.TotalSeconds)), ct);
            snapshot = await snapshots.GetAsync(electionId, ct) ?? snapshot;
            changes = ChangesAfter(snapshot, cursor);
        }

        var milestones = await ChangeMilestones.AfterAsync(snapshot, cursor, dataSource, ct);
        return TaggedJson.Of(new ChangesResponse(snapshot.Election.Id, snapshot.Election.IsTest, Math.Max(cursor, snapshot.Cursor), changes, milestones));
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult, ValidationProblem>> StreamEvents(
        string electionId,
        [Description("Resume after this cursor (as `Last-Event-ID` does).")] long? since,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        HttpContext http, SnapshotStore snapshots, VersionClock clock, NpgsqlDataSource dataSource, ElectionMetrics metrics, TimeProvider time,
        IOptions<JsonOptions> json)
    {
        var ct = http.RequestAborted;
        long? resume = since;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Problems.Invalid("Last-Event-ID", "Last-Event-ID is a cursor sent by this stream.");
            }

            resume = parsed;
        }

        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NoElection(electionId);
        }

        if (resume is { } from && await CursorFromElsewhereAsync(snapshot, from, dataSource, ct) is { } elsewhere)
        {
            return elsewhere;
        }

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = CachePolicy.NoCache;
        response.Headers["X-Accel-Buffering"] = "no";
        var cursor = resume ?? snapshot.Cursor;
        var lastWrite = time.GetUtcNow();
        using var connected = metrics.ClientConnected("sse");
        await response.WriteAsync("retry: 2000\n\n", ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var milestones = (await ChangeMilestones.AfterAsync(snapshot, cursor, dataSource, ct)).ToLookup(m => m.Cursor);
                var changes = ChangesAfter(snapshot, cursor).ToDictionary(c => c.Cursor);
                foreach (var next in changes.Keys.Concat(milestones.Select(g => g.Key)).Distinct().Order())
                {
                    // One write per cursor: its constituency event, then its milestones, all with its id.
                    var events = new StringBuilder();
                    if (changes.TryGetValue(next, out var change))
                    {
                        AppendEvent(events, next, "constituency", JsonSerializer.Serialize(change, json.Value.SerializerOptions));
                    }

                    foreach (var milestone in milestones[next])
                    {
                        AppendEvent(events, next, "milestone", JsonSerializer.Serialize(milestone, json.Value.SerializerOptions));
                    }

                    await response.WriteAsync(events.ToString(), Encoding.UTF8, ct);
                    cursor = next;
                    lastWrite = time.GetUtcNow();
                }

                if (time.GetUtcNow() - lastWrite >= Heartbeat)
                {
                    await response.WriteAsync(": keep-alive\n\n", ct);
                    lastWrite = time.GetUtcNow();
                }

                await response.Body.FlushAsync(ct);
                await clock.WaitForChangeAsync(snapshot.Version, clock.IsListening ? Heartbeat : TimeSpan.FromSeconds(1), ct);
                snapshot = await snapshots.GetAsync(electionId, ct) ?? snapshot;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }

        return TypedResults.Empty;
    }

    private static void AppendEvent(StringBuilder events, long id, string type, string data) =>
        events.Append(CultureInfo.InvariantCulture, $"id: {id}\nevent: {type}\ndata: {data}\n\n");

    /// <summary>Seats whose latest change (revision or nominations) is newer than the cursor, oldest change first.</summary>
    public static IReadOnlyList<ChangeItem> ChangesAfter(ElectionSnapshot snapshot, long cursor) =>
        snapshot.Seats
            .Where(s => s.Cursor > cursor)
            .OrderBy(s => s.Cursor)
            .Select(s => Item(snapshot, s) with { IsTest = snapshot.Election.IsTest })
            .ToArray();

    /// <summary>A seat's latest change as a feed item.</summary>
    public static ChangeItem Item(ElectionSnapshot snapshot, SeatState seat)
    {
        var outcome = seat.Outcome;
        var winner = ConstituencyDocuments.Winner(snapshot, outcome?.Winner);
        var previousWinner = seat.Previous?.WinnerParty;
        if (seat.LastNomination is { } nomination && nomination.Id > (seat.Current?.DeclarationId ?? 0))
        {
            return new ChangeItem(nomination.Id, seat.Code, seat.Name, ChangeKinds.Nominations, seat.Status, seat.Current?.Number, seat.Current?.DeclaredAt,
                winner, outcome?.Result, outcome?.Gain ?? false, previousWinner, Previous: null, Reason: null, Areas: []);
        }

        var current = seat.Current!;
        var replaced = seat.ReplacedOutcome is { } r ? new PreviousResult(r.Status, ConstituencyDocuments.Winner(snapshot, r.Winner), r.Result) : null;
        return new ChangeItem(current.DeclarationId, seat.Code, seat.Name, seat.Kind!, seat.Status, current.Number, current.DeclaredAt,
            winner, outcome?.Result, outcome?.Gain ?? false, previousWinner, replaced, current.Reason, seat.AreaIds);
    }

    /// <summary>
    /// A cursor newer than anything this election has: the client was pointed at another environment (or the database was
    /// rebuilt). Checked against the database before refusing, so that a cursor from an instance that has just written is
    /// never refused by one that has not heard of it yet. Null when the cursor is fine.
    /// </summary>
    private static async Task<ProblemHttpResult?> CursorFromElsewhereAsync(ElectionSnapshot snapshot, long since, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (since <= snapshot.Cursor)
        {
            return null;
        }

        const string sql = """
            SELECT GREATEST(
                (SELECT max(id) FROM declarations WHERE election_id = @id),
                (SELECT max(id) FROM nomination_changes WHERE election_id = @id), 0)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var newest = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { id = snapshot.Election.Id }, cancellationToken: ct));
        if (since <= newest)
        {
            return null;
        }

        return TypedResults.Problem(
            title: "Cursor from elsewhere",
            detail: string.Create(CultureInfo.InvariantCulture,
                $"Cursor {since} is newer than the newest change of '{snapshot.Election.Id}' ({newest}); it was not issued here. Start again with since={newest} (or 0 for everything)."),
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["newestCursor"] = newest });
    }
}
