using Dapper;
using ElectionResults.Api.Features.Figures;
using Npgsql;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// The SQL that reads an <see cref="ElectionSnapshot"/>: the whole election, some of its seats, or the election as
/// published at an instant (time travel), in the caller's transaction. Used by the snapshot cache, the time-travel
/// snapshots and the write path (which renders the seat it has just written under its lock).
/// </summary>
public static class SnapshotLoader
{
    /// <summary>The committed data version as seen by the caller's transaction (no transaction: the latest).</summary>
    public static Task<long> VersionAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM data_version", transaction: tx, cancellationToken: ct));

    // The election whose declarations the seats are compared with: the one asked for, else the previous election
    // unless the election has a notional result (then none: the notional rows are read instead).
    private const string BaselineElection = """
        (SELECT CASE
            WHEN @baseline::text IS NOT NULL THEN @baseline::text
            WHEN EXISTS (SELECT 1 FROM notional_results n WHERE n.election_id = e.id) THEN NULL
            ELSE e.previous_election_id END
         FROM elections e WHERE e.id = @electionId)
        """;

    /// <summary>
    /// The statements of <see cref="LoadAsync"/>: a caller may send statements of its own before them in the same command
    /// (one round trip), with <see cref="Parameters"/>, and read their results before <see cref="ReadAsync"/>.
    /// </summary>
    public const string Sql = $"""
        SELECT version FROM data_version;

        -- the certification in force: now, or (time travel) by the latest certification or withdrawal recorded by then
        SELECT e.id, e.name, e.polling_day AS PollingDay, e.kind, e.previous_election_id AS PreviousElectionId, e.is_test AS IsTest,
               @baseline::text IS NULL AND EXISTS (SELECT 1 FROM notional_results n WHERE n.election_id = e.id) AS Notional,
               c.certified_at AS CertifiedAt, c.certified_by AS CertifiedBy, c.source AS CertificationSource
        FROM elections e
        LEFT JOIN LATERAL (
            SELECT e.certified_at, e.certified_by, e.certification_source AS source WHERE NOT @timeTravel
            UNION ALL
            (SELECT h.recorded_at, h.entered_by, h.source FROM election_certifications h
             WHERE @timeTravel AND h.election_id = e.id AND h.recorded_at <= @asOf
             ORDER BY h.id DESC LIMIT 1)
        ) c ON true
        WHERE e.id = @electionId;

        SELECT code, name, colour FROM parties;

        SELECT ec.constituency_code AS Code, c.name, ec.electorate, ec.expected_declaration_at AS ExpectedDeclarationAt
        FROM election_constituencies ec JOIN constituencies c ON c.code = ec.constituency_code
        WHERE ec.election_id = @electionId AND (@all OR ec.constituency_code = ANY(@codes))
        ORDER BY c.name, c.code;

        SELECT id, election_id AS ElectionId, constituency_code AS ConstituencyCode, name, party_code AS Party, description
        FROM candidacies
        WHERE election_id IN (@electionId, {BaselineElection})
          AND (@all OR constituency_code = ANY(@codes))
        ORDER BY id;

        SELECT id, name, kind FROM areas WHERE election_id = @electionId ORDER BY id;

        SELECT area_id AS AreaId, constituency_code AS ConstituencyCode FROM area_members
        WHERE election_id = @electionId AND (@all OR constituency_code = ANY(@codes));

        WITH latest AS (
            SELECT *, row_number() OVER (PARTITION BY election_id, constituency_code ORDER BY revision DESC) AS rank
            FROM declarations
            WHERE election_id IN (@electionId, {BaselineElection})
              AND (@all OR constituency_code = ANY(@codes))
              AND (NOT @timeTravel OR election_id <> @electionId OR published_at <= @asOf)
        )
        SELECT {RevisionRow.Columns}, d.rank
        FROM latest d
        -- the current revision of every seat, and the one it replaced in this election (for corrections)
        WHERE d.rank = 1 OR (d.rank = 2 AND d.election_id = @electionId);

        SELECT DISTINCT ON (constituency_code) constituency_code AS Code, id, change, recorded_at AS RecordedAt
        FROM nomination_changes
        WHERE election_id = @electionId AND (@all OR constituency_code = ANY(@codes)) AND (NOT @timeTravel OR recorded_at <= @asOf)
        ORDER BY constituency_code, id DESC;

        SELECT constituency_code AS Code, line, party_code AS Party, votes FROM notional_results
        WHERE election_id = @electionId AND @baseline::text IS NULL AND (@all OR constituency_code = ANY(@codes))
        ORDER BY constituency_code, line;
        """;

    /// <summary>
    /// Reads a snapshot inside the caller's transaction. With <paramref name="onlyCodes"/> it reads just those seats
    /// (their area memberships included, other areas' members left out): enough to render their constituency
    /// documents, which depend on nothing else, as the write path does under its lock. Such a partial snapshot is
    /// never cached as a whole; <see cref="SnapshotStore.GetAsync"/> merges it into a full one.
    /// </summary>
    /// <remarks>
    /// The seats are compared with the election's baseline: its notional previous result where it has one, else the
    /// previous election's result in the same seats; with <paramref name="baseline"/>, that election's result instead (the
    /// caller checks that its seats are this election's).
    /// With <paramref name="asOf"/> the snapshot is the election as published at that instant: per seat, the latest revision
    /// with <c>published_at &lt;= asOf</c> (and the nominations recorded by then). The previous election is always read as it
    /// stands (it is the baseline of gains and share changes).
    /// </remarks>
    public static async Task<ElectionSnapshot?> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, CancellationToken ct, IReadOnlyCollection<string>? onlyCodes = null,
        DateTimeOffset? asOf = null, string? baseline = null)
    {
        using var grid = await connection.QueryMultipleAsync(
            new CommandDefinition(Sql, Parameters(electionId, onlyCodes, asOf, baseline), tx, cancellationToken: ct));
        return await ReadAsync(grid, asOf, baseline);
    }

    /// <summary>The parameters of <see cref="Sql"/>: the election, its seats <paramref name="onlyCodes"/> (all when null), as of an instant, against a baseline.</summary>
    public static object Parameters(string electionId, IReadOnlyCollection<string>? onlyCodes = null, DateTimeOffset? asOf = null, string? baseline = null) =>
        new
        {
            electionId, baseline, all = onlyCodes is null, codes = onlyCodes?.ToArray() ?? [],
            timeTravel = asOf is not null, asOf = (asOf ?? DateTimeOffset.UnixEpoch).UtcDateTime,
        };

    /// <summary>The snapshot from the results of <see cref="Sql"/> (null when there is no such election).</summary>
    public static async Task<ElectionSnapshot?> ReadAsync(SqlMapper.GridReader grid, DateTimeOffset? asOf = null, string? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var version = await grid.ReadSingleAsync<long>();
        var election = await grid.ReadSingleOrDefaultAsync<ElectionRow>();
        if (election is null)
        {
            return null;
        }

        var parties = (await grid.ReadAsync<PartyInfo>()).ToDictionary(p => p.Code, StringComparer.Ordinal);
        var seats = (await grid.ReadAsync<SeatRow>()).ToArray();
        var candidacies = (await grid.ReadAsync<CandidacyRow>()).ToArray();
        var areas = (await grid.ReadAsync<AreaRow>()).ToArray();
        var members = (await grid.ReadAsync<MemberRow>()).ToArray();
        var revisions = (await grid.ReadAsync<RevisionRow>()).ToArray();
        var nominations = (await grid.ReadAsync<NominationRow>()).ToDictionary(n => n.Code, n => n.ToInfo(), StringComparer.Ordinal);
        var notional = (await grid.ReadAsync<NotionalRow>()).ToLookup(n => n.Code, StringComparer.Ordinal);
        var info = election.ToInfo(baseline);

        var candidatesBySeat = candidacies.ToLookup(c => (c.ElectionId, c.ConstituencyCode), c => new Candidacy(c.Id, c.Name, c.Party, c.Description));
        var revisionBySeat = revisions.Where(r => r.Rank == 1).ToDictionary(r => (r.ElectionId, r.ConstituencyCode), r => r.ToInfo());
        var replacedBySeat = revisions.Where(r => r.Rank == 2).ToDictionary(r => r.ConstituencyCode, r => r.ToInfo(), StringComparer.Ordinal);
        var areasBySeat = members.ToLookup(m => m.ConstituencyCode, m => m.AreaId);

        PreviousSeat? PreviousOf(string code)
        {
            if (info.Baseline is { Notional: true })
            {
                return NotionalSeat(notional[code].ToArray());
            }

            if (info.Baseline?.ElectionId is not { } previousId || !revisionBySeat.TryGetValue((previousId, code), out var revision))
            {
                return null;
            }

            var figures = SeatState.FiguresFor(revision, candidatesBySeat[(previousId, code)].ToArray(), null, null);
            return figures is null
                ? null
                : new PreviousSeat(SeatState.VotesByParty(figures.Candidates), figures.Winner?.Party, revision.Status == SeatState.UncontestedStatus);
        }

        var seatStates = seats.Select(seat =>
        {
            var candidates = candidatesBySeat[(election.Id, seat.Code)].ToArray();
            revisionBySeat.TryGetValue((election.Id, seat.Code), out var current);
            var previous = PreviousOf(seat.Code);
            var areaIds = areasBySeat[seat.Code].Order(StringComparer.Ordinal).ToArray();
            return new SeatState(seat.Code, seat.Name, seat.Electorate, candidates, areaIds, current, previous,
                SeatState.FiguresFor(current, candidates, seat.Electorate, previous), replacedBySeat.GetValueOrDefault(seat.Code))
            {
                ExpectedDeclarationAt = ToOffset(seat.ExpectedDeclarationAt),
                LastNomination = nominations.GetValueOrDefault(seat.Code),
            };
        }).ToArray();

        var membersByArea = members.ToLookup(m => m.AreaId, m => m.ConstituencyCode);
        var areaInfos = areas
            .Select(a => new AreaInfo(a.Id, a.Name, a.Kind, membersByArea[a.Id].Order(StringComparer.Ordinal).ToArray()))
            .ToArray();

        return new ElectionSnapshot(version, info, parties, seatStates, areaInfos) { AsOf = asOf };
    }

    /// <summary>
    /// A seat's notional previous result: each party's estimated votes (independents' lines added up under Ind, as a result's
    /// are) and the party of the largest line as the winner; null when the estimate has no line for the seat.
    /// </summary>
    public static PreviousSeat? NotionalSeat(IReadOnlyList<NotionalRow> lines)
    {
        if (lines.Count == 0)
        {
            return null;
        }

        var votes = lines.GroupBy(l => l.Party, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(l => l.Votes), StringComparer.Ordinal);
        var top = lines.Max(l => l.Votes);
        // A tie for first place has no notional winner.
        var first = lines.Where(l => l.Votes == top).ToArray();
        return new PreviousSeat(votes, first.Length == 1 && top > 0 ? first[0].Party : null);
    }

    private sealed record ElectionRow(
        string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest, bool Notional,
        DateTime? CertifiedAt, string? CertifiedBy, string? CertificationSource)
    {
        /// <summary>The election, compared with <paramref name="baseline"/> when asked, else with its notional result or its previous election.</summary>
        /// <remarks>A withdrawal (the latest entry, as of an instant) has no source: nothing is certified then.</remarks>
        public ElectionInfo ToInfo(string? baseline) => new(Id, Name, PollingDay, Kind, PreviousElectionId, IsTest)
        {
            Baseline = (baseline ?? PreviousElectionId) is { } compared ? new Baseline(compared, Notional) : null,
            Certification = CertifiedAt is { } at && CertifiedBy is not null && CertificationSource is not null
                ? new CertificationInfo(ToOffset(at)!.Value, CertifiedBy, CertificationSource)
                : null,
        };
    }

    /// <summary>One line of a seat's notional previous result.</summary>
    public sealed record NotionalRow(string Code, string Line, string Party, long Votes);

    private sealed record SeatRow(string Code, string Name, long? Electorate, DateTime? ExpectedDeclarationAt);

    private sealed record CandidacyRow(long Id, string ElectionId, string ConstituencyCode, string Name, string Party, string? Description);

    private sealed record NominationRow(string Code, long Id, string Change, DateTime RecordedAt)
    {
        public NominationChange ToInfo() => new(Id, Change, ToOffset(RecordedAt)!.Value);
    }

    private sealed record AreaRow(string Id, string Name, string Kind);

    private sealed record MemberRow(string AreaId, string ConstituencyCode);

    /// <summary>
    /// A stored revision with its votes, as read by <see cref="Columns"/> from <c>declarations d</c>. A class rather
    /// than a positional record: Dapper binds array columns only through properties.
    /// </summary>
    internal sealed class RevisionRow
    {
        public const string Columns = """
            d.id, d.election_id AS ElectionId, d.constituency_code AS ConstituencyCode, d.revision, d.status,
            d.invalid_votes AS InvalidVotes, d.declared_at AS DeclaredAt, d.source, d.entered_by AS EnteredBy, d.reason,
            d.recorded_at AS RecordedAt, d.winner_candidacy_id AS WinnerCandidacyId, d.lot_winner_candidacy_id AS LotWinnerCandidacyId,
            d.recount_number AS RecountNumber, d.published_at AS PublishedAt,
            COALESCE((SELECT array_agg(dv.candidacy_id ORDER BY dv.candidacy_id) FROM declaration_votes dv WHERE dv.declaration_id = d.id), '{}') AS CandidacyIds,
            COALESCE((SELECT array_agg(dv.votes ORDER BY dv.candidacy_id) FROM declaration_votes dv WHERE dv.declaration_id = d.id), '{}') AS Votes
            """;

        public long Id { get; init; }
        public required string ElectionId { get; init; }
        public required string ConstituencyCode { get; init; }
        public int Revision { get; init; }
        public required string Status { get; init; }
        public long? InvalidVotes { get; init; }
        public DateTime? DeclaredAt { get; init; }
        public required string Source { get; init; }
        public required string EnteredBy { get; init; }
        public string? Reason { get; init; }
        public DateTime RecordedAt { get; init; }
        public long? WinnerCandidacyId { get; init; }
        public long? LotWinnerCandidacyId { get; init; }
        public int? RecountNumber { get; init; }
        public DateTime PublishedAt { get; init; }

        /// <summary>1 for a seat's current revision, 2 for the one before it (snapshot loads only).</summary>
        public long Rank { get; init; } = 1;
        public long[] CandidacyIds { get; init; } = [];
        public long[] Votes { get; init; } = [];

        public RevisionInfo ToInfo() => new(
            Id, Revision, Status, InvalidVotes, ToOffset(DeclaredAt), Source, EnteredBy, Reason, ToOffset(RecordedAt)!.Value,
            CandidacyIds.Zip(Votes).ToDictionary(p => p.First, p => p.Second),
            WinnerCandidacyId, LotWinnerCandidacyId,
            // Recounts stored before recounts were numbered count as the first.
            Status == SeatState.RecountStatus ? RecountNumber ?? 1 : null)
        {
            PublishedAt = ToOffset(PublishedAt)!.Value,
        };
    }

    internal static DateTimeOffset? ToOffset(DateTime? utc) =>
        utc is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
