using System.Net;
using System.Net.Http.Json;
using Dapper;
using ElectionResults.IntegrationTests.Infrastructure;
using ElectionResults.IntegrationTests.Night;
using Npgsql;

namespace ElectionResults.IntegrationTests.Safety;

/// <summary>
/// The database itself freezes the candidacies of a seat whose latest revision publishes something (declared,
/// uncontested, a called winner, a recount), as the nominations endpoints do, even for candidacies that no vote row
/// names; and it lets them change again where the endpoints do (after a postponement).
/// </summary>
public sealed class CandidacyFreezeTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly NightDesk _desk = new(api);

    private async Task<(DeskSeat Seat, long[] Ids)> SeatAsync(string code, params (string Name, string Party)[] candidates)
    {
        await _desk.PutAsync($"/v1/elections/{NightDesk.Election}/constituencies/{code}", new { name = $"Seat {code}", electorate = 70000 });
        var ids = new List<long>();
        foreach (var (name, party) in candidates)
        {
            ids.Add(await _desk.NominateAsync(NightDesk.Election, code, name, party));
        }

        return (new DeskSeat(code, $"/v1/elections/{NightDesk.Election}/constituencies/{code}", [.. ids]), [.. ids]);
    }

    private static readonly object Uncontested = new { status = "uncontested", declaredAt = "2017-06-09T02:00:00+01:00", source = "Returning officer" };

    /// <summary>As the API's own role, straight through SQL: both an UPDATE and a DELETE are refused, and the row stays.</summary>
    private async Task AssertFrozenInTheDatabase(long candidacyId)
    {
        await using var connection = await api.OpenConnectionAsync();
        const string row = "SELECT row(c.*)::text FROM candidacies c WHERE id = @candidacyId";
        var before = await connection.QuerySingleAsync<string>(new CommandDefinition(row, new { candidacyId }, cancellationToken: Ct));

        var update = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE candidacies SET name = 'Someone else', party_code = 'Lab' WHERE id = @candidacyId", new { candidacyId }, cancellationToken: Ct)));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM candidacies WHERE id = @candidacyId", new { candidacyId }, cancellationToken: Ct)));

        Assert.Equal((PostgresErrorCodes.RestrictViolation, PostgresErrorCodes.RestrictViolation), (update.SqlState, delete.SqlState));
        Assert.Equal(before, await connection.QuerySingleAsync<string>(new CommandDefinition(row, new { candidacyId }, cancellationToken: Ct)));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM declaration_votes WHERE candidacy_id = @candidacyId", new { candidacyId }, cancellationToken: Ct)));
    }

    [Fact]
    public async Task An_uncontested_seat_a_recount_and_a_called_winner_freeze_every_candidacy_in_the_database()
    {
        await _desk.SetUpAsync();

        var (uncontested, unopposed) = await SeatAsync("E98000001", ("Una Opposed", "Con"));
        await _desk.SubmitAsync(uncontested, Uncontested);
        await AssertFrozenInTheDatabase(unopposed[0]);

        // A recount after an uncontested return: no revision of the seat carries votes.
        var (recount, recounted) = await SeatAsync("E98000002", ("Rhea Count", "Lab"));
        await _desk.SubmitAsync(recount, Uncontested);
        var inRecount = await _desk.SubmitAsync(recount, new { status = "recount", source = "Returning officer", reason = "Recount called" }, withIfMatch: true);
        Assert.Equal("recount", inRecount.Status);
        await AssertFrozenInTheDatabase(recounted[0]);

        // A called winner names one candidacy; the others are frozen with it.
        var (called, ids) = await SeatAsync("E98000003", ("Ann Con", "Con"), ("Bob Lab", "Lab"));
        await _desk.SubmitAsync(called, new { status = "winnerKnown", winnerCandidateId = ids[0], source = "Returning officer" });
        await AssertFrozenInTheDatabase(ids[1]);

        // The endpoints refuse the same changes.
        var rename = await api.Admin.PutAsJsonAsync($"{uncontested.Path}/candidates/{unopposed[0]}", new { name = "Someone else", party = "Lab" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, rename.StatusCode);
    }

    [Fact]
    public async Task Nominations_change_before_any_revision_and_after_a_postponement()
    {
        await _desk.SetUpAsync();
        var (seat, ids) = await SeatAsync("E98000004", ("Ann Con", "Con"), ("Bob Lab", "Lab"), ("Cat LD", "LD"));

        var early = await api.Admin.PutAsJsonAsync($"{seat.Path}/candidates/{ids[0]}", new { name = "Ann Early", party = "Con" }, Ct);
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);

        await _desk.SubmitAsync(seat, new { status = "postponed", source = "Returning officer", reason = "A candidate died" });
        var renamed = await api.Admin.PutAsJsonAsync($"{seat.Path}/candidates/{ids[1]}", new { name = "Bob Renamed", party = "Lab" }, Ct);
        var withdrawn = await api.Admin.DeleteAsync($"{seat.Path}/candidates/{ids[2]}", Ct);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NoContent), (renamed.StatusCode, withdrawn.StatusCode));

        await using var connection = await api.OpenConnectionAsync();
        var names = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM candidacies WHERE election_id = @election AND constituency_code = @code ORDER BY id",
            new { election = NightDesk.Election, code = seat.Code }, cancellationToken: Ct));
        Assert.Equal(["Ann Early", "Bob Renamed"], names);
    }
}
