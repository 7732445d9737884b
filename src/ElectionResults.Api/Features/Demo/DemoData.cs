using System.Text.Json;
using Dapper;
using ElectionResults.Api.Features.Declarations;
using ElectionResults.Api.Infrastructure.Database;
using Npgsql;

namespace ElectionResults.Api.Features.Demo;

/// <summary>
/// The demo night: the 32 East Midlands seats of the BBC's 9 June 2017 live page, with the real 2015
/// and 2017 results (House of Commons Library, Electoral Commission) and Mansfield's wrong winner
/// corrected by a second revision. Loading is idempotent: a seat that already has candidates is left
/// exactly as it is, so a second load (or a load over live data) rewrites nothing.
/// </summary>
public sealed class DemoData(WriteTransactions writes, ILogger<DemoData> logger)
{
    private const string ResourceName = "demo/east-midlands-2015-2017.json";
    private const string EnteredBy = "demo-data";
    private static readonly JsonSerializerOptions FileOptions = new(JsonSerializerDefaults.Web);

    public static DemoFile Read()
    {
        using var stream = typeof(DemoData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return JsonSerializer.Deserialize<DemoFile>(stream, FileOptions)
            ?? throw new InvalidOperationException("The demo data file is empty.");
    }

    public async Task<int> LoadAsync(CancellationToken ct)
    {
        var file = Read();
        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);

        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO parties (code, name, colour) VALUES (@Code, @Name, @Colour) ON CONFLICT (code) DO NOTHING
            """, file.Parties, tx, cancellationToken: ct));

        var seatsLoaded = 0;
        foreach (var election in file.Elections)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO elections (id, name, polling_day, kind, previous_election_id, is_test)
                VALUES (@Id, @Name, @PollingDay, @Kind, @PreviousElectionId, @IsTest)
                ON CONFLICT (id) DO NOTHING
                """, new { election.Id, election.Name, PollingDay = election.PollingDay.ToDateTime(TimeOnly.MinValue), election.Kind, election.PreviousElectionId, election.IsTest }, tx, cancellationToken: ct));

            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO areas (election_id, id, name, kind) VALUES (@ElectionId, @Id, @Name, @Kind) ON CONFLICT DO NOTHING
                """, election.Areas.Select(a => new { ElectionId = election.Id, a.Id, a.Name, a.Kind }), tx, cancellationToken: ct));

            foreach (var seat in election.Constituencies)
            {
                if (await LoadSeatAsync(connection, tx, election.Id, seat, ct))
                {
                    seatsLoaded++;
                }
            }
        }

        await write.CommitAsync(ct);
        logger.LogInformation("Demo data: {Seats} seat results loaded ({Skipped} already present).", seatsLoaded, file.Elections.Sum(e => e.Constituencies.Count) - seatsLoaded);
        return seatsLoaded;
    }

    private static async Task<bool> LoadSeatAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, DemoSeat seat, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO constituencies (code, name) VALUES (@Code, @Name) ON CONFLICT (code) DO NOTHING;
            INSERT INTO election_constituencies (election_id, constituency_code, electorate) VALUES (@electionId, @Code, @Electorate)
            ON CONFLICT DO NOTHING;
            INSERT INTO area_members (election_id, area_id, constituency_code) SELECT @electionId, a, @Code FROM unnest(@Areas) AS a
            ON CONFLICT DO NOTHING;
            """, new { electionId, seat.Code, seat.Name, seat.Electorate, Areas = seat.Areas.ToArray() }, tx, cancellationToken: ct));

        var hasCandidates = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM candidacies WHERE election_id = @electionId AND constituency_code = @Code)",
            new { electionId, seat.Code }, tx, cancellationToken: ct));
        if (hasCandidates)
        {
            return false;
        }

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
            await DeclarationStore.InsertRevisionAsync(connection, tx, electionId, seat.Code, i + 1, "declared", request, EnteredBy, ct);
        }

        return true;
    }
}

public sealed record DemoFile(IReadOnlyList<string> Attribution, IReadOnlyList<DemoParty> Parties, IReadOnlyList<DemoElection> Elections);

public sealed record DemoParty(string Code, string Name, string Colour);

public sealed record DemoElection(
    string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest,
    IReadOnlyList<DemoArea> Areas, IReadOnlyList<DemoSeat> Constituencies);

public sealed record DemoArea(string Id, string Name, string Kind);

public sealed record DemoSeat(string Code, string Name, long? Electorate, IReadOnlyList<string> Areas, IReadOnlyList<DemoCandidate> Candidates, IReadOnlyList<DemoRevision> Revisions);

public sealed record DemoCandidate(string Name, string Party);

public sealed record DemoRevision(IReadOnlyList<long> Votes, long? InvalidVotes, DateTimeOffset? DeclaredAt, string Source, string? Reason);
