using Dapper;
using ElectionResults.Api.Features.Declarations;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.ReadModel;
using Npgsql;

namespace ElectionResults.Api.Features.Replays;

/// <summary>
/// Replays in the database: creating or resetting the target test election with the plan, reading and changing where a
/// replay stands, and publishing the revisions that are due (<see cref="PublishDueAsync"/>, called by <see cref="ReplayPlayer"/>).
/// </summary>
/// <remarks>
/// Stable ids: a candidacy of the target has the id of the source's candidacy + slot × 10^12, where slot is the number the
/// target got the first time it was a replay target (kept for good), so every reset and every replay of that target gives
/// the same ids, and a graphics system built against one rehearsal needs no change for the next.
/// </remarks>
public sealed class ReplayStore(NpgsqlDataSource dataSource, WriteTransactions writes, TimeProvider time)
{
    public const string Playing = "playing";
    public const string Paused = "paused";
    public const string Stopped = "stopped";
    public const string Finished = "finished";
    public const double MaxSpeed = 100_000;
    public const long IdBlock = 1_000_000_000_000;
    public const string EnteredBy = "replay";

    /// <summary>Wakes the players of this process when a replay is started or changed here.</summary>
    public event Action? Changed;

    /// <summary>How starting a replay ended; nothing is written unless it is <see cref="StartOutcome.Started"/>.</summary>
    public abstract record StartOutcome
    {
        private StartOutcome()
        {
        }

        public sealed record Started(ReplayResponse Replay) : StartOutcome;

        /// <summary>The source election does not exist.</summary>
        public sealed record SourceMissing(string SourceElectionId) : StartOutcome;

        /// <summary>The target is a live election, which a replay never touches.</summary>
        public sealed record LiveTarget : StartOutcome;
    }

    /// <summary>How a change of a replay ended.</summary>
    public abstract record UpdateOutcome
    {
        private UpdateOutcome()
        {
        }

        public sealed record Updated(ReplayResponse Replay) : UpdateOutcome;

        /// <summary>The election has no replay.</summary>
        public sealed record NoReplay : UpdateOutcome;

        /// <summary>The replay is stopped or finished, and stays as it is.</summary>
        public sealed record Over(ReplayResponse Replay) : UpdateOutcome;
    }

    /// <summary>Creates (or resets) the test election and starts the replay. The caller has checked the ids' form.</summary>
    public async Task<StartOutcome> StartAsync(string electionId, StartReplayRequest request, string createdBy, CancellationToken ct)
    {
        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        Task<int> Run(string sql, object? parameters = null) =>
            connection.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));

        var sourceExists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM elections WHERE id = @id)", new { id = request.SourceElectionId }, tx, cancellationToken: ct));
        if (!sourceExists)
        {
            return new StartOutcome.SourceMissing(request.SourceElectionId);
        }

        var isTest = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "SELECT is_test FROM elections WHERE id = @electionId FOR UPDATE", new { electionId }, tx, cancellationToken: ct));
        if (isTest == false)
        {
            return new StartOutcome.LiveTarget();
        }

        if (isTest is null)
        {
            await Run("""
                INSERT INTO elections (id, name, polling_day, kind, previous_election_id, is_test)
                SELECT @electionId, left('Rehearsal: ' || name, 200), polling_day, kind, previous_election_id, true FROM elections WHERE id = @source
                """, new { electionId, source = request.SourceElectionId });
        }
        else
        {
            // Reset: everything of the test election goes (the triggers let only this test election's rows go, and only here).
            await Run("""
                SELECT set_config('elections.reset_test_election', @electionId, true);
                -- a rehearsal played again starts uncertified (its certifications go with the rest of its history)
                UPDATE elections SET certified_at = NULL, certified_by = NULL, certification_source = NULL WHERE id = @electionId;
                DELETE FROM election_certifications WHERE election_id = @electionId;
                DELETE FROM replays WHERE election_id = @electionId;
                DELETE FROM area_members WHERE election_id = @electionId;
                DELETE FROM areas WHERE election_id = @electionId;
                DELETE FROM declaration_votes WHERE election_id = @electionId;
                DELETE FROM declarations WHERE election_id = @electionId;
                DELETE FROM nomination_changes WHERE election_id = @electionId;
                DELETE FROM seat_reported_facts WHERE election_id = @electionId;
                DELETE FROM candidacies WHERE election_id = @electionId;
                DELETE FROM notional_results WHERE election_id = @electionId;
                DELETE FROM election_constituencies WHERE election_id = @electionId;
                SELECT set_config('elections.reset_test_election', '', true);
                UPDATE elections e SET polling_day = s.polling_day, kind = s.kind, previous_election_id = s.previous_election_id
                FROM elections s WHERE e.id = @electionId AND s.id = @source;
                """, new { electionId, source = request.SourceElectionId });
        }

        await Run("""
            INSERT INTO replay_targets (election_id, slot)
            SELECT @electionId, COALESCE(max(slot), 0) + 1 FROM replay_targets
            ON CONFLICT (election_id) DO NOTHING
            """, new { electionId });
        var startAt = request.StartAt ?? time.GetUtcNow();
        await Run("""
            INSERT INTO election_constituencies (election_id, constituency_code, electorate, expected_declaration_at)
            SELECT @electionId, constituency_code, electorate, expected_declaration_at FROM election_constituencies WHERE election_id = @source;

            -- A rehearsal is compared with what its source is compared with, notional result included.
            INSERT INTO notional_results (election_id, constituency_code, line, party_code, votes, source)
            SELECT @electionId, constituency_code, line, party_code, votes, source FROM notional_results WHERE election_id = @source;

            INSERT INTO candidacies (id, election_id, constituency_code, name, party_code, description) OVERRIDING SYSTEM VALUE
            SELECT c.id + t.slot * @block, @electionId, c.constituency_code, c.name, c.party_code, c.description
            FROM candidacies c, replay_targets t WHERE c.election_id = @source AND t.election_id = @electionId;

            -- The nominations as the feed shows them: each candidacy added, seat by seat, before any revision is published
            -- (so before each seat's declaration at the latest), as the desk's nominations endpoints record them.
            INSERT INTO nomination_changes (election_id, constituency_code, candidacy_id, change, entered_by)
            SELECT @electionId, constituency_code, id, 'added', @enteredBy FROM candidacies
            WHERE election_id = @electionId ORDER BY constituency_code, id;

            INSERT INTO areas (election_id, id, name, kind) SELECT @electionId, id, name, kind FROM areas WHERE election_id = @source;
            INSERT INTO area_members (election_id, area_id, constituency_code)
            SELECT @electionId, area_id, constituency_code FROM area_members WHERE election_id = @source;

            INSERT INTO replays (election_id, source_election_id, speed, state, position_ms, position_at, start_at, created_by)
            VALUES (@electionId, @source, @speed, 'playing', 0, @startAt, @startAt, @createdBy);

            -- The plan: every revision of the source in publication order, at its offset from the first one.
            INSERT INTO replay_steps (election_id, seq, source_declaration_id, offset_ms)
            SELECT @electionId, row_number() OVER (ORDER BY published_at, id), id,
                   1000 * extract(epoch FROM published_at - min(published_at) OVER ())
            FROM declarations WHERE election_id = @source;
            """, new { electionId, source = request.SourceElectionId, block = IdBlock, speed = request.Speed!.Value, startAt = startAt.UtcDateTime, createdBy, enteredBy = EnteredBy });

        var replay = await ReadAsync(connection, tx, electionId, ct);
        await write.CommitAsync(ct);
        Changed?.Invoke();
        return new StartOutcome.Started(replay!);
    }

    public async Task<ReplayResponse?> GetAsync(string electionId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ReadAsync(connection, null, electionId, ct);
    }

    /// <summary>Pauses, resumes or changes the speed, from where the replay is now.</summary>
    public async Task<UpdateOutcome> UpdateAsync(string electionId, UpdateReplayRequest request, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ReplayRow>(new CommandDefinition(
            $"SELECT {ReplayRow.Columns} FROM replays r WHERE election_id = @electionId FOR UPDATE", new { electionId }, tx, cancellationToken: ct));
        if (row is null)
        {
            return new UpdateOutcome.NoReplay();
        }

        if (row.State is Stopped or Finished)
        {
            return new UpdateOutcome.Over((await ReadAsync(connection, tx, electionId, ct))!);
        }

        var now = time.GetUtcNow();
        var position = row.PositionAt(now);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE replays SET state = @state, speed = @speed, position_ms = @position, position_at = @now WHERE election_id = @electionId
            """, new { electionId, state = request.State ?? row.State, speed = request.Speed ?? row.Speed, position, now = now.UtcDateTime }, tx, cancellationToken: ct));
        var replay = await ReadAsync(connection, tx, electionId, ct);
        await tx.CommitAsync(ct);
        Changed?.Invoke();
        return new UpdateOutcome.Updated(replay!);
    }

    /// <summary>Stops the replay for good (what it published stays). False when there is no replay.</summary>
    public async Task<bool> StopAsync(string electionId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var now = time.GetUtcNow();
        var stopped = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE replays SET state = CASE WHEN state = 'finished' THEN state ELSE 'stopped' END,
                               lease_owner = NULL, lease_until = NULL, position_at = @now,
                               position_ms = CASE WHEN state = 'playing' THEN position_ms + speed * 1000 * extract(epoch FROM @now - position_at) ELSE position_ms END
            WHERE election_id = @electionId
            """, new { electionId, now = now.UtcDateTime }, cancellationToken: ct));
        Changed?.Invoke();
        return stopped > 0;
    }

    /// <summary>
    /// Plays what is due of every replay this instance holds (or can take: its lease lapsed), each revision in its own write
    /// through the desk's write path. Returns when the next revision of a held replay is due (null when none is).
    /// </summary>
    public async Task<DateTimeOffset?> PublishDueAsync(string owner, TimeSpan lease, CancellationToken ct)
    {
        IReadOnlyList<ReplayRow> held;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            held = (await connection.QueryAsync<ReplayRow>(new CommandDefinition($"""
                UPDATE replays r SET lease_owner = @owner, lease_until = now() + @lease
                WHERE state = 'playing' AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until < now())
                RETURNING {ReplayRow.Columns}
                """, new { owner, lease }, cancellationToken: ct))).ToArray();
        }

        DateTimeOffset? next = null;
        foreach (var replay in held)
        {
            var due = await PlayAsync(replay, owner, lease, ct);
            if (due is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        return next;
    }

    private async Task<DateTimeOffset?> PlayAsync(ReplayRow replay, string owner, TimeSpan lease, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var position = replay.PositionAt(now);
            var step = await NextStepAsync(replay.ElectionId, ct);
            if (step is null)
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE replays SET state = 'finished', lease_owner = NULL, lease_until = NULL WHERE election_id = @id AND state = 'playing' AND lease_owner = @owner",
                    new { id = replay.ElectionId, owner }, cancellationToken: ct));
                return null;
            }

            if (step.OffsetMs > position)
            {
                return replay.WhenAt(step.OffsetMs);
            }

            if (!await PublishAsync(replay.ElectionId, replay.Clock, step, owner, lease, ct))
            {
                // The lease went to another instance, or the replay was paused, stopped or reset meanwhile.
                return null;
            }
        }

        return null;
    }

    private async Task<StepRow?> NextStepAsync(string electionId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StepRow>(new CommandDefinition("""
            SELECT s.seq, s.offset_ms AS OffsetMs, d.constituency_code AS Code
            FROM replay_steps s JOIN declarations d ON d.id = s.source_declaration_id
            WHERE s.election_id = @electionId AND s.published_at IS NULL
            ORDER BY s.seq LIMIT 1
            """, new { electionId }, cancellationToken: ct));
    }

    /// <summary>
    /// Publishes one step as the desk publishes a revision: one write transaction for that seat (so every instance's readers,
    /// the change feed, the events and the ETags see it as a declaration), with the step claimed in the same transaction, only
    /// while this instance holds the lease of a playing replay: a step is published once, by one instance. Its
    /// <c>declaredAt</c> is the source's on the replay's <paramref name="clock"/> (the night's time of day, on the rehearsal's
    /// night); its <c>publishedAt</c> is now, the moment it is played.
    /// </summary>
    private async Task<bool> PublishAsync(string electionId, NightClock clock, StepRow step, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var write = await writes.BeginAsync(ChangeScope.Seat(electionId, step.Code), ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        var now = time.GetUtcNow();
        var claimed = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            SELECT s.source_declaration_id FROM replay_steps s JOIN replays r ON r.election_id = s.election_id
            WHERE s.election_id = @electionId AND s.seq = @Seq AND s.published_at IS NULL
              AND r.state = 'playing' AND r.lease_owner = @owner AND r.lease_until > now()
              -- due at the replay's speed and position as they are now (a PATCH may have changed them meanwhile)
              AND s.offset_ms <= r.position_ms + r.speed * 1000 * extract(epoch FROM @now - r.position_at)
            FOR UPDATE OF s, r
            """, new { electionId, step.Seq, owner, now = now.UtcDateTime }, tx, cancellationToken: ct));
        if (claimed is not { } sourceId)
        {
            return false;
        }

        var source = await connection.QuerySingleAsync<SnapshotLoader.RevisionRow>(new CommandDefinition(
            $"SELECT {SnapshotLoader.RevisionRow.Columns} FROM declarations d WHERE d.id = @sourceId", new { sourceId }, tx, cancellationToken: ct));
        var slot = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT slot FROM replay_targets WHERE election_id = @electionId", new { electionId }, tx, cancellationToken: ct));
        var offset = slot * IdBlock;
        long? Map(long? id) => id is { } value ? value + offset : null;
        var request = new SubmitDeclarationRequest(
            source.Status,
            source.CandidacyIds.Zip(source.Votes, (id, votes) => new CandidateVote(id + offset, votes)).ToArray(),
            source.InvalidVotes,
            clock.ToNight(SnapshotLoader.ToOffset(source.DeclaredAt)),
            source.Source,
            source.Reason,
            Map(source.WinnerCandidacyId),
            Map(source.LotWinnerCandidacyId));
        var declarationId = await DeclarationStore.InsertRevisionAsync(
            connection, tx, electionId, source.ConstituencyCode, NewRevision.From(request, source.Revision, source.Status, source.RecountNumber), EnteredBy, now, ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE replay_steps SET published_at = @now, published_by = @owner, declaration_id = @declarationId
            WHERE election_id = @electionId AND seq = @Seq;
            -- playing renews the lease: a long round of due revisions keeps it
            UPDATE replays SET lease_until = now() + @lease WHERE election_id = @electionId AND lease_owner = @owner;
            """, new { electionId, step.Seq, owner, declarationId, now = now.UtcDateTime, lease }, tx, cancellationToken: ct));
        await write.CommitAsync(ct);
        return true;
    }

    /// <summary>Gives up this instance's leases (when it stops), so that another instance takes over at once.</summary>
    public async Task ReleaseAsync(string owner, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE replays SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner", new { owner }, cancellationToken: ct));
    }

    private async Task<ReplayResponse?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string electionId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ReplayRow>(new CommandDefinition(
            $"SELECT {ReplayRow.Columns} FROM replays r WHERE election_id = @electionId", new { electionId }, tx, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var counts = await connection.QuerySingleAsync<CountsRow>(new CommandDefinition("""
            SELECT count(*)::int AS Total, count(s.published_at)::int AS Published,
                   min(s.offset_ms) FILTER (WHERE s.published_at IS NULL) AS NextOffsetMs,
                   (SELECT min(published_at) FROM declarations WHERE election_id = @source) AS FirstPublishedAt
            FROM replay_steps s WHERE s.election_id = @electionId
            """, new { electionId, source = row.SourceElectionId }, tx, cancellationToken: ct));
        var now = time.GetUtcNow();
        var nextAt = row.State == Playing && counts.NextOffsetMs is { } nextOffset ? row.WhenAt(nextOffset) : (DateTimeOffset?)null;
        var position = SnapshotLoader.ToOffset(counts.FirstPublishedAt)?.AddMilliseconds(Math.Max(0, row.PositionAt(now)));
        return new ReplayResponse(row.ElectionId, row.SourceElectionId, row.State, row.Speed, SnapshotLoader.ToOffset(row.StartAt)!.Value,
            counts.Total, counts.Published, counts.Total - counts.Published, nextAt, position,
            row.Clock.NightOf, row.Clock.ToNight(position)?.ToUniversalTime());
    }

    private sealed record StepRow(int Seq, double OffsetMs, string Code);

    private sealed record CountsRow(int Total, int Published, double? NextOffsetMs, DateTime? FirstPublishedAt);

    private sealed class ReplayRow
    {
        public const string Columns = """
            r.election_id AS ElectionId, r.source_election_id AS SourceElectionId, r.speed, r.state, r.position_ms AS PositionMs,
            r.position_at AS PositionAtTime, r.start_at AS StartAt,
            (SELECT polling_day FROM elections WHERE id = r.source_election_id) AS SourcePollingDay
            """;

        public required string ElectionId { get; init; }
        public required string SourceElectionId { get; init; }
        public double Speed { get; init; }
        public required string State { get; init; }
        public double PositionMs { get; init; }
        public DateTime PositionAtTime { get; init; }
        public DateTime StartAt { get; init; }
        public DateOnly SourcePollingDay { get; init; }

        /// <summary>The replay's virtual clock: the source's night moved to the UK date on which the replay started.</summary>
        public NightClock Clock => NightClock.Starting(SourcePollingDay, SnapshotLoader.ToOffset(StartAt)!.Value);

        private DateTimeOffset Anchor => SnapshotLoader.ToOffset(PositionAtTime)!.Value;

        /// <summary>The source's elapsed time (ms since its first revision) the replay has reached at <paramref name="now"/>.</summary>
        public double PositionAt(DateTimeOffset now) =>
            State == Playing ? PositionMs + (Speed * (now - Anchor).TotalMilliseconds) : PositionMs;

        /// <summary>When the replay reaches <paramref name="offsetMs"/> of the source's night at its current speed.</summary>
        public DateTimeOffset WhenAt(double offsetMs) => Anchor.AddMilliseconds((offsetMs - PositionMs) / Speed);
    }
}
