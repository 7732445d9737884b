using Dapper;
using ElectionResults.Api.Infrastructure.Database;
using Npgsql;
using NpgsqlTypes;

namespace ElectionResults.Api.Features.Imports;

/// <summary>
/// Writes a checked file in one transaction: the rows go into temporary tables by binary COPY, then a
/// handful of set-based statements create what is missing and add revisions where the stored result
/// differs from the file. Any problem (in the file, or between the file and declared results) rolls the
/// whole import back; so does an import that would change nothing, which therefore leaves even the data
/// version (and so every cache and ETag) as it was.
/// </summary>
/// <remarks>
/// Rules, per seat:
/// <list type="bullet">
/// <item>Candidates file, seat not declared: candidacies already nominated are matched by (name, party) and the
/// rest created, each with an "added" entry in <c>nomination_changes</c> (the change feed) as the nominations endpoints write; revision 1 records the votes, with the invalid votes and declaration time a constituency
/// file has reported (see <c>seat_reported_facts</c>).</item>
/// <item>Candidates file, seat declared: the file's candidates must be exactly the seat's candidacies. The same
/// votes change nothing; different votes (or a seat in recount) add a revision "figures differ from revision N".</item>
/// <item>Constituency file: sets the electorate and remembers invalid votes and declaration time; a declared seat
/// whose current revision lacks or differs in them gets a revision with the same votes and the new figures.</item>
/// </list>
/// </remarks>
public sealed class Importer(NpgsqlDataSource dataSource, WriteTransactions writes, TimeProvider time, ILogger<Importer> logger)
{
    private const string CreateStaging = """
        CREATE TEMP TABLE import_seats (
            code text PRIMARY KEY, name text NOT NULL, first_line integer NOT NULL,
            electorate bigint, invalid_votes bigint, declared_at timestamptz) ON COMMIT DROP;
        CREATE TEMP TABLE import_areas (id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL) ON COMMIT DROP;
        CREATE TEMP TABLE import_members (area_id text NOT NULL, code text NOT NULL) ON COMMIT DROP;
        CREATE TEMP TABLE import_parties (code text PRIMARY KEY, name text NOT NULL, colour text NOT NULL) ON COMMIT DROP;
        CREATE TEMP TABLE import_candidates (
            line integer PRIMARY KEY, code text NOT NULL, name text NOT NULL, party text NOT NULL, votes bigint NOT NULL, description text) ON COMMIT DROP;
        CREATE TEMP TABLE import_current (
            code text PRIMARY KEY, id bigint NOT NULL, revision integer NOT NULL, status text NOT NULL,
            invalid_votes bigint, declared_at timestamptz, source text NOT NULL, lot_winner_candidacy_id bigint) ON COMMIT DROP;
        CREATE TEMP TABLE import_match (
            line integer, code text NOT NULL, candidacy_id bigint, candidacy_name text, candidacy_party text) ON COMMIT DROP;
        CREATE TEMP TABLE import_changes (code text PRIMARY KEY, revision integer NOT NULL, previous integer) ON COMMIT DROP;
        CREATE TEMP TABLE import_fact_changes (
            code text PRIMARY KEY, previous_id bigint NOT NULL, revision integer NOT NULL, status text NOT NULL,
            invalid_votes bigint, declared_at timestamptz, source text NOT NULL, lot_winner_candidacy_id bigint) ON COMMIT DROP;
        """;

    private const string CreateParties = """
        INSERT INTO parties (code, name, colour) SELECT code, name, colour FROM import_parties ORDER BY code ON CONFLICT (code) DO NOTHING;
        """;

    private const string CreateConstituencies = """
        INSERT INTO constituencies (code, name) SELECT code, name FROM import_seats ORDER BY code ON CONFLICT (code) DO NOTHING
        """;

    private const string AddSeatsToElection = """
        INSERT INTO election_constituencies (election_id, constituency_code)
        SELECT @electionId, code FROM import_seats ORDER BY code
        ON CONFLICT (election_id, constituency_code) DO NOTHING
        """;

    private const string SetElectorates = """
        UPDATE election_constituencies ec SET electorate = s.electorate
        FROM import_seats s
        WHERE ec.election_id = @electionId AND ec.constituency_code = s.code
          AND s.electorate IS NOT NULL AND ec.electorate IS DISTINCT FROM s.electorate
        """;

    private const string CreateAreas = """
        INSERT INTO areas (election_id, id, name, kind) SELECT @electionId, id, name, kind FROM import_areas ORDER BY id
        ON CONFLICT (election_id, id) DO NOTHING
        """;

    private const string AddMembers = """
        INSERT INTO area_members (election_id, area_id, constituency_code) SELECT @electionId, area_id, code FROM import_members
        ON CONFLICT DO NOTHING
        """;

    private const string ReadCurrentRevisions = """
        INSERT INTO import_current (code, id, revision, status, invalid_votes, declared_at, source, lot_winner_candidacy_id)
        SELECT DISTINCT ON (d.constituency_code) d.constituency_code, d.id, d.revision, d.status, d.invalid_votes, d.declared_at, d.source,
               d.lot_winner_candidacy_id
        FROM declarations d JOIN import_seats s ON s.code = d.constituency_code
        WHERE d.election_id = @electionId
        ORDER BY d.constituency_code, d.revision DESC
        """;

    // Pairs each file row with a stored candidacy of the same seat, name and party (the n-th with the n-th when
    // a name repeats); a row left without a candidacy, or a candidacy left without a row, shows up as a null side.
    private const string MatchCandidacies = """
        WITH f AS (
            SELECT line, code, name, party, row_number() OVER (PARTITION BY code, name, party ORDER BY line) AS n
            FROM import_candidates),
        e AS (
            SELECT c.id, c.constituency_code AS code, c.name, c.party_code AS party,
                   row_number() OVER (PARTITION BY c.constituency_code, c.name, c.party_code ORDER BY c.id) AS n
            FROM candidacies c JOIN import_seats s ON s.code = c.constituency_code
            WHERE c.election_id = @electionId)
        INSERT INTO import_match (line, code, candidacy_id, candidacy_name, candidacy_party)
        SELECT f.line, COALESCE(f.code, e.code), e.id, e.name, e.party
        FROM f FULL JOIN e ON e.code = f.code AND e.name = f.name AND e.party = f.party AND e.n = f.n
        """;

    private const string CandidacyConflicts = """
        SELECT m.line AS Line,
               m.code || ' already has a declaration and no candidacy ' || c.name || ' (' || c.party || ')'
               || '; an import cannot change the candidates of a declared seat.' AS Message
        FROM import_match m JOIN import_candidates c ON c.line = m.line JOIN import_current cur ON cur.code = m.code
        WHERE m.candidacy_id IS NULL
        UNION ALL
        SELECT s.first_line,
               m.code || ' has candidate ' || m.candidacy_name || ' (' || m.candidacy_party || ', id ' || m.candidacy_id || ') who is not in this file; '
               || CASE WHEN cur.code IS NULL THEN 'withdraw that nomination or add the candidate to the file.'
                       ELSE 'an import cannot change the candidates of a declared seat.' END
        FROM import_match m JOIN import_seats s ON s.code = m.code LEFT JOIN import_current cur ON cur.code = m.code
        WHERE m.line IS NULL
        ORDER BY 1, 2
        """;

    // Creates the candidacies of rows left unmatched (the conflict check has made sure they are in undeclared
    // seats), each with its "added" entry of the nominations change feed, as POST .../candidates records it;
    // matching again afterwards pairs every row with its candidacy.
    private const string CreateCandidacies = """
        WITH added AS (
            INSERT INTO candidacies (election_id, constituency_code, name, party_code, description)
            SELECT @electionId, c.code, c.name, c.party, c.description
            FROM import_candidates c JOIN import_match m ON m.line = c.line
            WHERE m.candidacy_id IS NULL
            ORDER BY c.line
            RETURNING id, constituency_code)
        INSERT INTO nomination_changes (election_id, constituency_code, candidacy_id, change, entered_by)
        SELECT @electionId, constituency_code, id, 'added', @enteredBy FROM added ORDER BY id
        """;

    // A seat needs a revision when it has none, when its current one is not a declaration (recount), or when
    // the current declaration's votes differ from the file's for any candidacy (on either side of the join).
    private const string FindChangedResults = """
        WITH file_votes AS (
            SELECT c.code, m.candidacy_id, c.votes FROM import_candidates c JOIN import_match m ON m.line = c.line),
        stored_votes AS (
            SELECT cur.code, dv.candidacy_id, dv.votes
            FROM import_current cur JOIN declaration_votes dv ON dv.declaration_id = cur.id
            WHERE cur.status = 'declared'),
        differing AS (
            SELECT DISTINCT COALESCE(f.code, s.code) AS code
            FROM file_votes f FULL JOIN stored_votes s ON s.code = f.code AND s.candidacy_id = f.candidacy_id
            WHERE f.votes IS DISTINCT FROM s.votes)
        INSERT INTO import_changes (code, revision, previous)
        SELECT s.code, COALESCE(cur.revision, 0) + 1, cur.revision
        FROM import_seats s LEFT JOIN import_current cur ON cur.code = s.code
        WHERE cur.code IS NULL OR cur.status <> 'declared' OR s.code IN (SELECT code FROM differing)
        """;

    private const string AddResultRevisions = """
        WITH added AS (
            INSERT INTO declarations (election_id, constituency_code, revision, status, invalid_votes, declared_at, source, entered_by, reason,
                                      published_at)
            SELECT @electionId, ch.code, ch.revision, 'declared',
                   COALESCE(f.invalid_votes, cur.invalid_votes), COALESCE(f.declared_at, cur.declared_at),
                   left(CASE WHEN f.source IS NULL OR f.source = @source THEN @source ELSE @source || '; ' || f.source END, 500),
                   @enteredBy,
                   CASE WHEN ch.previous IS NULL THEN NULL
                        ELSE 'Import of ' || @label || ': figures differ from revision ' || ch.previous END,
                   -- public from the file's declaration time when it has one, else from the import
                   COALESCE(f.declared_at, cur.declared_at, @publishedAt)
            FROM import_changes ch
            LEFT JOIN import_current cur ON cur.code = ch.code
            LEFT JOIN seat_reported_facts f ON f.election_id = @electionId AND f.constituency_code = ch.code
            ORDER BY ch.code
            RETURNING id, constituency_code)
        INSERT INTO declaration_votes (declaration_id, candidacy_id, election_id, constituency_code, votes)
        SELECT a.id, m.candidacy_id, @electionId, a.constituency_code, c.votes
        FROM added a JOIN import_candidates c ON c.code = a.constituency_code JOIN import_match m ON m.line = c.line
        """;

    private const string RememberFacts = """
        INSERT INTO seat_reported_facts (election_id, constituency_code, invalid_votes, declared_at, source)
        SELECT @electionId, code, invalid_votes, declared_at, @source FROM import_seats
        WHERE invalid_votes IS NOT NULL OR declared_at IS NOT NULL
        ON CONFLICT (election_id, constituency_code) DO UPDATE SET
            invalid_votes = COALESCE(excluded.invalid_votes, seat_reported_facts.invalid_votes),
            declared_at = COALESCE(excluded.declared_at, seat_reported_facts.declared_at),
            source = excluded.source
        WHERE (COALESCE(excluded.invalid_votes, seat_reported_facts.invalid_votes), COALESCE(excluded.declared_at, seat_reported_facts.declared_at))
              IS DISTINCT FROM (seat_reported_facts.invalid_votes, seat_reported_facts.declared_at)
        """;

    // A declared seat whose current revision lacks (or differs in) the file's invalid votes or declaration
    // time gets a revision with the same votes and the file's figures.
    private const string FindChangedFacts = """
        INSERT INTO import_fact_changes (code, previous_id, revision, status, invalid_votes, declared_at, source, lot_winner_candidacy_id)
        SELECT cur.code, cur.id, cur.revision + 1, cur.status,
               COALESCE(s.invalid_votes, cur.invalid_votes), COALESCE(s.declared_at, cur.declared_at),
               CASE WHEN strpos(cur.source, @source) > 0 THEN cur.source ELSE left(cur.source || '; ' || @source, 500) END,
               cur.lot_winner_candidacy_id
        FROM import_current cur JOIN import_seats s ON s.code = cur.code
        WHERE cur.status IN ('declared', 'uncontested')
          AND (COALESCE(s.invalid_votes, cur.invalid_votes), COALESCE(s.declared_at, cur.declared_at))
              IS DISTINCT FROM (cur.invalid_votes, cur.declared_at)
        """;

    private const string AddFactRevisions = """
        WITH added AS (
            INSERT INTO declarations (election_id, constituency_code, revision, status, invalid_votes, declared_at, source, entered_by, reason,
                                      lot_winner_candidacy_id, published_at)
            SELECT @electionId, x.code, x.revision, x.status, x.invalid_votes, x.declared_at, x.source, @enteredBy,
                   'Import of ' || @label || ': invalid votes and declaration time', x.lot_winner_candidacy_id,
                   COALESCE(x.declared_at, @publishedAt)
            FROM import_fact_changes x
            ORDER BY x.code
            RETURNING id, constituency_code)
        INSERT INTO declaration_votes (declaration_id, candidacy_id, election_id, constituency_code, votes)
        SELECT a.id, dv.candidacy_id, @electionId, a.constituency_code, dv.votes
        FROM added a JOIN import_fact_changes x ON x.code = a.constituency_code JOIN declaration_votes dv ON dv.declaration_id = x.previous_id
        """;

    /// <summary>True when the election exists (the endpoint answers 404 before reading the body otherwise).</summary>
    public async Task<bool> ElectionExistsAsync(string electionId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ElectionExistsAsync(connection, null, electionId, ct);
    }

    public async Task<ImportOutcome> ImportAsync(
        string electionId, ImportFormat format, ReadOnlyMemory<byte> file, string? fileName, string enteredBy, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var parsed = ImportParser.Parse(format, file.Span);
        if (parsed.Errors.Any)
        {
            return ImportOutcome.Failed(parsed.Errors.Sorted(), parsed.Errors.Count);
        }

        var plan = ImportPlan.Build(parsed);
        var (source, label) = Describe(format, fileName);

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (!await ElectionExistsAsync(connection, tx, electionId, ct))
        {
            return ImportOutcome.Missing;
        }

        await connection.ExecuteAsync(new CommandDefinition(CreateStaging, transaction: tx, cancellationToken: ct));
        await CopyAsync(connection, parsed, plan, ct);

        var parameters = new { electionId, source, label, enteredBy, publishedAt = time.GetUtcNow().UtcDateTime };
        Task<int> Run(string sql) => connection.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));

        var partiesCreated = await Run(CreateParties);
        var constituencies = await Run(CreateConstituencies);
        var seatsAdded = await Run(AddSeatsToElection);
        var electorates = await Run(SetElectorates);
        var areasCreated = await Run(CreateAreas);
        var members = await Run(AddMembers);
        await Run(ReadCurrentRevisions);

        int candidaciesCreated = 0, revisionsAdded = 0, facts = 0;
        if (format.HasCandidates)
        {
            await Run(MatchCandidacies);
            var conflicts = (await connection.QueryAsync<ImportError>(new CommandDefinition(CandidacyConflicts, parameters, tx, cancellationToken: ct))).ToArray();
            if (conflicts.Length > 0)
            {
                return ImportOutcome.Failed(conflicts.Take(ImportErrors.MaxListed).ToArray(), conflicts.Length);
            }

            candidaciesCreated = await Run(CreateCandidacies);
            if (candidaciesCreated > 0)
            {
                await Run("TRUNCATE import_match");
                await Run(MatchCandidacies);
            }

            await Run("ANALYZE import_match");

            revisionsAdded = await Run(FindChangedResults);
            if (revisionsAdded > 0)
            {
                await Run(AddResultRevisions);
            }
        }
        else if (format.Has(ImportFormat.InvalidVotes) || format.Has(ImportFormat.DeclaredAt))
        {
            facts = await Run(RememberFacts);
            revisionsAdded = await Run(FindChangedFacts);
            if (revisionsAdded > 0)
            {
                await Run(AddFactRevisions);
            }
        }

        var changed = partiesCreated + constituencies + seatsAdded + electorates + areasCreated + members + candidaciesCreated + revisionsAdded + facts > 0;
        if (changed)
        {
            await write.CommitAsync(ct);
        }
        else
        {
            // Nothing differs: leave even data_version alone, so no cache or ETag moves.
            await tx.RollbackAsync(ct);
        }

        logger.LogInformation(
            "Imported {Source} into {ElectionId} ({Format}): {Rows} rows, {Revisions} revisions added, {Changed} in {Elapsed:F0} ms.",
            source, electionId, format.Name, parsed.Rows, revisionsAdded, changed ? "committed" : "nothing changed", time.GetElapsedTime(started).TotalMilliseconds);
        return ImportOutcome.Done(new ImportSummary(
            electionId, format.Name, source, parsed.Encoding, parsed.Rows, parsed.Seats.Count, parsed.Candidates.Count, revisionsAdded,
            areasCreated, partiesCreated, seatsAdded, candidaciesCreated, electorates, changed));
    }

    /// <summary>The source recorded on revisions ("House of Commons Library: HoC-GE2017-results-by-candidate.csv") and the label reasons use.</summary>
    public static (string Source, string Label) Describe(ImportFormat format, string? fileName)
    {
        var name = fileName is null ? "" : new string(Path.GetFileName(fileName.Trim()).Where(c => !char.IsControl(c)).ToArray());
        if (name.Length > 200)
        {
            name = name[..200];
        }

        return name.Length == 0
            ? ($"{format.Publisher} ({format.Name} import)", format.Name)
            : ($"{format.Publisher}: {name}", $"{name} ({format.Name})");
    }

    private static Task<bool> ElectionExistsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string electionId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM elections WHERE id = @electionId)", new { electionId }, tx, cancellationToken: ct));

    /// <summary>Binary COPY of the checked rows into the temporary tables: one stream per table, no per-row round trip.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, ParsedImport parsed, ImportPlan plan, CancellationToken ct)
    {
        await using (var seats = await connection.BeginBinaryImportAsync(
            "COPY import_seats (code, name, first_line, electorate, invalid_votes, declared_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var seat in parsed.Seats)
            {
                await seats.StartRowAsync(ct);
                await seats.WriteAsync(seat.Code, NpgsqlDbType.Text, ct);
                await seats.WriteAsync(seat.Name, NpgsqlDbType.Text, ct);
                await seats.WriteAsync(seat.Line, NpgsqlDbType.Integer, ct);
                await WriteNullableAsync(seats, seat.Electorate, ct);
                await WriteNullableAsync(seats, seat.InvalidVotes, ct);
                if (seat.DeclaredAt is { } declaredAt)
                {
                    await seats.WriteAsync(declaredAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
                }
                else
                {
                    await seats.WriteNullAsync(ct);
                }
            }

            await seats.CompleteAsync(ct);
        }

        await using (var areas = await connection.BeginBinaryImportAsync("COPY import_areas (id, name, kind) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var area in plan.Areas)
            {
                await areas.WriteRowAsync(ct, area.Id, area.Name, area.Kind);
            }

            await areas.CompleteAsync(ct);
        }

        await using (var members = await connection.BeginBinaryImportAsync("COPY import_members (area_id, code) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var member in plan.Members)
            {
                await members.WriteRowAsync(ct, member.AreaId, member.Code);
            }

            await members.CompleteAsync(ct);
        }

        await using (var parties = await connection.BeginBinaryImportAsync("COPY import_parties (code, name, colour) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var party in plan.Parties)
            {
                await parties.WriteRowAsync(ct, party.Code, party.Name, party.Colour);
            }

            await parties.CompleteAsync(ct);
        }

        await using (var candidates = await connection.BeginBinaryImportAsync(
            "COPY import_candidates (line, code, name, party, votes, description) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var candidate in parsed.Candidates)
            {
                await candidates.StartRowAsync(ct);
                await candidates.WriteAsync(candidate.Line, NpgsqlDbType.Integer, ct);
                await candidates.WriteAsync(candidate.Code, NpgsqlDbType.Text, ct);
                await candidates.WriteAsync(candidate.Name, NpgsqlDbType.Text, ct);
                await candidates.WriteAsync(candidate.PartyCode, NpgsqlDbType.Text, ct);
                await candidates.WriteAsync(candidate.Votes, NpgsqlDbType.Bigint, ct);
                if (candidate.Description is { } description)
                {
                    await candidates.WriteAsync(description, NpgsqlDbType.Text, ct);
                }
                else
                {
                    await candidates.WriteNullAsync(ct);
                }
            }

            await candidates.CompleteAsync(ct);
        }

        await using var analyze = new NpgsqlCommand("ANALYZE import_seats, import_candidates", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter importer, long? value, CancellationToken ct)
    {
        if (value is { } number)
        {
            await importer.WriteAsync(number, NpgsqlDbType.Bigint, ct);
        }
        else
        {
            await importer.WriteNullAsync(ct);
        }
    }
}
