using System.Text.Json;
using Dapper;
using ElectionResults.Api.Features.Declarations;
using ElectionResults.Api.Features.Imports;
using ElectionResults.Api.Infrastructure.Database;
using Npgsql;

namespace ElectionResults.Api.Features.Demo;

/// <summary>
/// The demo night: the real 2015 and 2017 results for all 650 seats (the House of Commons Library's and the
/// Electoral Commission's files in <c>data/uk-general-elections</c>, imported by the ordinary <see cref="Importer"/>),
/// with the East Midlands story on top: Mansfield 2017 as it was first announced (the wrong winner) and then
/// corrected, and the BBC's 32-seat East Midlands page as the custom area <c>bbc-east-midlands</c>.
/// </summary>
/// <remarks>
/// Order matters: the story seats are written before the files are imported, so that the import finds them
/// declared with the file's own figures and leaves them alone. Loading is idempotent: a step with nothing to do
/// writes nothing (an import that would change nothing rolls back), so a second load leaves the data version,
/// and so every ETag, as it was.
/// </remarks>
public sealed class DemoData(
    NpgsqlDataSource dataSource, WriteTransactions writes, Importer importer, NotionalImport notional, TimeProvider time, ILogger<DemoData> logger)
{
    private const string ResourceName = "demo/demo-night.json";
    private const string EnteredBy = "demo-data";
    private static readonly JsonSerializerOptions FileOptions = new(JsonSerializerDefaults.Web);

    public static DemoFile Read()
    {
        using var stream = typeof(DemoData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return JsonSerializer.Deserialize<DemoFile>(stream, FileOptions)
            ?? throw new InvalidOperationException("The demo data file is empty.");
    }

    /// <summary>The bytes of a vendored results file (embedded from <c>data/uk-general-elections</c>).</summary>
    public static byte[] ReadResultsFile(string fileName)
    {
        var name = $"data/uk-general-elections/{fileName}";
        using var stream = typeof(DemoData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Loads what is missing; returns the number of steps that wrote something.</summary>
    public async Task<int> LoadAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var file = Read();
        var steps = 0;
        foreach (var election in file.Elections)
        {
            var seatsBefore = await SeatsWithCandidatesAsync(election.Id, ct);
            if (await LoadElectionAndStoryAsync(election, ct))
            {
                steps++;
            }

            foreach (var import in election.Imports)
            {
                var format = ImportFormat.Find(import.Format) ?? throw new InvalidOperationException($"Unknown import format {import.Format}.");
                var outcome = format == ImportFormat.Notional
                    ? await notional.ImportAsync(election.Id, ReadResultsFile(import.File), import.File, ct)
                    : await importer.ImportAsync(election.Id, format, ReadResultsFile(import.File), import.File, EnteredBy, ct);
                if (outcome.Summary is null && seatsBefore > election.StorySeats.Count)
                {
                    // The election was loaded before and has been written to since (nominations, corrections):
                    // the demo never overwrites what is there, so the file is left out rather than forced in.
                    logger.LogWarning("Demo data: {File} was not imported again into {Election}, whose results have changed since it was loaded.", import.File, election.Id);
                    continue;
                }

                if (outcome.Summary is null)
                {
                    throw new InvalidOperationException(
                        $"The demo import of {import.File} into {election.Id} failed: " + string.Join("; ", outcome.Errors.Select(e => $"line {e.Line}: {e.Message}")));
                }

                if (outcome.Summary.Changed)
                {
                    steps++;
                }
            }

            if (await LoadCustomAreasAsync(election, ct))
            {
                steps++;
            }

            if (await SetExpectedTimesAsync(election.Id, ct))
            {
                steps++;
            }
        }

        logger.LogInformation("Demo data: {Steps} loading steps wrote something, in {Elapsed:0.00} s.", steps, time.GetElapsedTime(started).TotalSeconds);
        return steps;
    }

    private async Task<int> SeatsWithCandidatesAsync(string electionId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(DISTINCT constituency_code) FROM candidacies WHERE election_id = @electionId", new { electionId }, cancellationToken: ct));
    }

    private async Task<bool> LoadElectionAndStoryAsync(DemoElection election, CancellationToken ct)
    {
        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);

        var parties = election.StorySeats.SelectMany(s => s.Candidates).Select(c => c.Party).Distinct(StringComparer.Ordinal)
            .Select(code =>
            {
                var (name, colour) = KnownParties.For(code, code);
                return new { Code = code, Name = name, Colour = colour };
            })
            .ToArray();
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO parties (code, name, colour) VALUES (@Code, @Name, @Colour) ON CONFLICT (code) DO NOTHING
            """, parties, tx, cancellationToken: ct));

        changed += await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO elections (id, name, polling_day, kind, previous_election_id, is_test)
            VALUES (@Id, @Name, @PollingDay, @Kind, @PreviousElectionId, @IsTest)
            ON CONFLICT (id) DO UPDATE SET previous_election_id = EXCLUDED.previous_election_id
            -- A demo database loaded before the election had a previous one gets it (nothing else is ever changed).
            WHERE elections.previous_election_id IS NULL AND EXCLUDED.previous_election_id IS NOT NULL
            """, new { election.Id, election.Name, PollingDay = election.PollingDay.ToDateTime(TimeOnly.MinValue), election.Kind, election.PreviousElectionId, election.IsTest }, tx, cancellationToken: ct));

        foreach (var seat in election.StorySeats)
        {
            if (await LoadSeatAsync(connection, tx, election.Id, seat, time.GetUtcNow(), ct))
            {
                changed++;
            }
        }

        if (changed == 0)
        {
            return false;   // disposing without a commit rolls back, data version included
        }

        await write.CommitAsync(ct);
        return true;
    }

    private static async Task<bool> LoadSeatAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, DemoSeat seat, DateTimeOffset now, CancellationToken ct)
    {
        var hasCandidates = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM candidacies WHERE election_id = @electionId AND constituency_code = @Code)",
            new { electionId, seat.Code }, tx, cancellationToken: ct));
        if (hasCandidates)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO constituencies (code, name) VALUES (@Code, @Name) ON CONFLICT (code) DO NOTHING;
            INSERT INTO election_constituencies (election_id, constituency_code, electorate) VALUES (@electionId, @Code, @Electorate)
            ON CONFLICT DO NOTHING;
            """, new { electionId, seat.Code, seat.Name, seat.Electorate }, tx, cancellationToken: ct));

        var ids = new List<long>();
        foreach (var candidate in seat.Candidates)
        {
            ids.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO candidacies (election_id, constituency_code, name, party_code) VALUES (@electionId, @Code, @Name, @Party) RETURNING id
                """, new { electionId, seat.Code, candidate.Name, candidate.Party }, tx, cancellationToken: ct)));
        }

        for (var i = 0; i < seat.Revisions.Count; i++)
        {
            var revision = seat.Revisions[i];
            var request = new SubmitDeclarationRequest(
                "declared",
                revision.Votes.Select((votes, index) => new CandidateVote(ids[index], votes)).ToArray(),
                revision.InvalidVotes, revision.DeclaredAt, revision.Source, revision.Reason);
            // Published when it was on the night: the wrong result at its declaration, the correction some minutes later.
            var publishedAt = revision.PublishedAt ?? revision.DeclaredAt ?? now;
            await DeclarationStore.InsertRevisionAsync(connection, tx, electionId, seat.Code, NewRevision.From(request, i + 1, "declared"), EnteredBy, publishedAt, ct);
        }

        return true;
    }

    /// <summary>A custom area is the union of areas the import made (the BBC's page: three counties).</summary>
    /// <summary>
    /// Each seat's expected declaration time, as a producer would have had it before the night: the real time of its
    /// first declaration, rounded down to the quarter hour. Seats with an expected time already keep it, and seats
    /// whose files give no time (2015) have none.
    /// </summary>
    private async Task<bool> SetExpectedTimesAsync(string electionId, CancellationToken ct)
    {
        await using var write = await writes.BeginAsync(ct);
        var changed = await write.Connection.ExecuteAsync(new CommandDefinition("""
            UPDATE election_constituencies ec
            SET expected_declaration_at = date_bin('15 minutes', d.declared_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')
            FROM declarations d
            WHERE ec.election_id = @electionId AND ec.expected_declaration_at IS NULL
              AND d.election_id = ec.election_id AND d.constituency_code = ec.constituency_code
              AND d.revision = 1 AND d.declared_at IS NOT NULL
            """, new { electionId }, write.Transaction, cancellationToken: ct));
        if (changed == 0)
        {
            return false;
        }

        await write.CommitAsync(ct);
        return true;
    }

    private async Task<bool> LoadCustomAreasAsync(DemoElection election, CancellationToken ct)
    {
        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        var changed = 0;
        foreach (var area in election.CustomAreas)
        {
            changed += await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO areas (election_id, id, name, kind) VALUES (@electionId, @Id, @Name, @Kind) ON CONFLICT DO NOTHING
                """, new { electionId = election.Id, area.Id, area.Name, area.Kind }, tx, cancellationToken: ct));
            changed += await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO area_members (election_id, area_id, constituency_code)
                SELECT DISTINCT @electionId, @Id, constituency_code FROM area_members
                WHERE election_id = @electionId AND area_id = ANY(@UnionOf)
                ORDER BY constituency_code
                ON CONFLICT DO NOTHING
                """, new { electionId = election.Id, area.Id, UnionOf = area.UnionOf.ToArray() }, tx, cancellationToken: ct));
        }

        if (changed == 0)
        {
            return false;
        }

        await write.CommitAsync(ct);
        return true;
    }
}

public sealed record DemoFile(IReadOnlyList<string> Attribution, IReadOnlyList<DemoElection> Elections);

/// <summary>An election of the demo: its story seats (loaded first), the files imported into it, and its custom areas.</summary>
public sealed record DemoElection(
    string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest,
    IReadOnlyList<DemoSeat> StorySeats, IReadOnlyList<DemoImport> Imports, IReadOnlyList<DemoCustomArea> CustomAreas);

public sealed record DemoImport(string Format, string File);

public sealed record DemoCustomArea(string Id, string Name, string Kind, IReadOnlyList<string> UnionOf);

public sealed record DemoSeat(string Code, string Name, long? Electorate, IReadOnlyList<DemoCandidate> Candidates, IReadOnlyList<DemoRevision> Revisions);

public sealed record DemoCandidate(string Name, string Party);

public sealed record DemoRevision(IReadOnlyList<long> Votes, long? InvalidVotes, DateTimeOffset? DeclaredAt, string Source, string? Reason, DateTimeOffset? PublishedAt = null);
