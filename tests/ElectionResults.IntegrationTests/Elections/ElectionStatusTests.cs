using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using ElectionResults.IntegrationTests.Infrastructure;
using Npgsql;

namespace ElectionResults.IntegrationTests.Elections;

/// <summary>
/// The election's status through a night (notStarted → partial → complete → certified) on the election document, the list
/// of elections and the tallies, and the certification: refused while incomplete, freezing the results (in the endpoint
/// and in the database) until an admin withdraws it.
/// </summary>
public sealed class ElectionStatusTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static int _elections;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record ElectionDto(
        string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest, string Status,
        DateTimeOffset? CertifiedAt, string? CertifiedBy, string? CertificationSource);

    private sealed record StatusTallyDto(string ElectionId, TallyAreaDto? Area, int Seats, int Declared, int WinnerKnown, int Postponed, string ElectionStatus, DateTimeOffset? AsOf);

    private sealed record CreatedKey(long Id, string Key);

    /// <summary>A night of three seats (Con and Lab in each); the area `first-two` holds seats 1 and 2. Returns each seat's path and candidacy ids.</summary>
    private async Task<(string Election, (string Path, long[] Ids)[] Seats)> NewNightAsync()
    {
        var n = Interlocked.Increment(ref _elections);
        var election = $"status-{n}";
        await Put("/v1/parties/Con", new { name = "Conservative", colour = "#0087DC" });
        await Put("/v1/parties/Lab", new { name = "Labour", colour = "#E4003B" });
        await Put($"/v1/elections/{election}", new { name = "Status night", pollingDay = "2017-06-08", kind = "general" });
        await Put($"/v1/elections/{election}/areas/first-two", new { name = "First two", kind = "custom" });
        var seats = new List<(string, long[])>();
        for (var i = 1; i <= 3; i++)
        {
            var code = string.Create(CultureInfo.InvariantCulture, $"E98{n % 1000:D3}{i:D3}");
            var path = $"/v1/elections/{election}/constituencies/{code}";
            await Put(path, new { name = $"Seat {i}", electorate = 70000, areas = i <= 2 ? new[] { "first-two" } : Array.Empty<string>() });
            var ids = new List<long>();
            foreach (var (name, party) in new[] { ("Ann Con", "Con"), ("Bob Lab", "Lab") })
            {
                var created = await api.Admin.PostAsJsonAsync($"{path}/candidates", new { name, party }, Ct);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                ids.Add((await created.ReadAsync<CandidateDto>()).Id);
            }

            seats.Add((path, ids.ToArray()));
        }

        return (election, seats.ToArray());
    }

    private async Task Put(string path, object body)
    {
        var response = await api.Admin.PutAsJsonAsync(path, body, Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static object Declared(long[] ids, long con, long lab, string? reason = null) => new
    {
        votes = new[] { new { candidateId = ids[0], votes = con }, new { candidateId = ids[1], votes = lab } },
        declaredAt = "2017-06-09T02:00:00+01:00",
        source = "Returning officer",
        reason,
    };

    private async Task<HttpResponseMessage> Declare(string path, object body, EntityTagHeaderValue? ifMatch = null, bool dryRun = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/declarations{(dryRun ? "?dryRun=true" : "")}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        return await api.Admin.SendAsync(request, Ct);
    }

    private async Task DeclareOk(string path, object body)
    {
        var response = await Declare(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private Task<HttpResponseMessage> Certify(string election, string source = "Returning officers' declarations", HttpClient? client = null) =>
        (client ?? api.Admin).PutAsJsonAsync($"/v1/elections/{election}/certification", new { source }, Ct);

    /// <summary>The status as every document says it: the election, its item in the list, the national tally and the area's.</summary>
    private async Task<string> StatusEverywhere(string election)
    {
        var document = await (await api.Client.GetAsync($"/v1/elections/{election}", Ct)).ReadAsync<ElectionDto>();
        var listed = (await (await api.Client.GetAsync("/v1/elections", Ct)).ReadAsync<List<ElectionDto>>()).Single(e => e.Id == election);
        var tally = await (await api.Client.GetAsync($"/v1/elections/{election}/tally", Ct)).ReadAsync<StatusTallyDto>();
        var area = await (await api.Client.GetAsync($"/v1/elections/{election}/areas/first-two/tally", Ct)).ReadAsync<StatusTallyDto>();
        Assert.Equal(document, listed);
        Assert.Equal(document.Status, tally.ElectionStatus);
        Assert.Equal(document.Status, area.ElectionStatus);
        return document.Status;
    }

    private async Task<string> CertificationRows(string election)
    {
        await using var connection = await api.OpenConnectionAsync();
        var rows = await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT row(e.certified_at, e.certified_by, e.certification_source)::text FROM elections e WHERE e.id = @election
            UNION ALL SELECT row(h.*)::text FROM election_certifications h WHERE h.election_id = @election
            ORDER BY 1
            """, new { election }, cancellationToken: Ct));
        return string.Join('\n', rows);
    }

    private async Task<string> Revisions(string election)
    {
        await using var connection = await api.OpenConnectionAsync();
        var rows = await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT 'd' || row(d.*)::text FROM declarations d WHERE d.election_id = @election
            UNION ALL SELECT 'v' || row(v.*)::text FROM declaration_votes v WHERE v.election_id = @election
            UNION ALL SELECT 'c' || row(c.*)::text FROM candidacies c WHERE c.election_id = @election
            UNION ALL SELECT 's' || row(s.*)::text FROM election_constituencies s WHERE s.election_id = @election
            ORDER BY 1
            """, new { election }, cancellationToken: Ct));
        return string.Join('\n', rows);
    }

    private static async Task<ProblemDto> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.ReadAsync<ProblemDto>();
    }

    [Fact]
    public async Task The_status_goes_from_not_started_through_partial_and_complete_to_certified()
    {
        var (election, seats) = await NewNightAsync();
        Assert.Equal("notStarted", await StatusEverywhere(election));

        // A called winner starts the night; a postponed poll does not complete it.
        await DeclareOk(seats[0].Path, new { status = "winnerKnown", winnerCandidateId = seats[0].Ids[0], source = "Count" });
        Assert.Equal("partial", await StatusEverywhere(election));
        await DeclareOk(seats[0].Path, Declared(seats[0].Ids, 20000, 15000));
        await DeclareOk(seats[1].Path, Declared(seats[1].Ids, 14000, 18000));
        await DeclareOk(seats[2].Path, new { status = "postponed", reason = "A candidate died", source = "Returning officer" });
        Assert.Equal("partial", await StatusEverywhere(election));

        // The area tally of seats 1 and 2 and the election document are cached now; seat 3 alone completes the election.
        var areaBefore = await api.Client.GetAsync($"/v1/elections/{election}/areas/first-two/tally", Ct);
        var documentBefore = await api.Client.GetAsync($"/v1/elections/{election}", Ct);
        await DeclareOk(seats[2].Path, Declared(seats[2].Ids, 9000, 9500));

        Assert.Equal("complete", await StatusEverywhere(election));
        Assert.NotEqual(areaBefore.Headers.ETag, (await api.Client.GetAsync($"/v1/elections/{election}/areas/first-two/tally", Ct)).Headers.ETag);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/v1/elections/{election}");
        conditional.Headers.IfNoneMatch.Add(documentBefore.Headers.ETag!);
        var changed = await api.Client.SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("complete", (await changed.ReadAsync<ElectionDto>()).Status);

        var certified = await Certify(election, "Returning officers' declarations, checked against the returns");

        Assert.Equal(HttpStatusCode.OK, certified.StatusCode);
        var body = await certified.ReadAsync<ElectionDto>();
        Assert.Equal(("certified", "admin", "Returning officers' declarations, checked against the returns"), (body.Status, body.CertifiedBy, body.CertificationSource));
        Assert.NotNull(body.CertifiedAt);
        Assert.True(body.CertifiedAt > DateTimeOffset.UtcNow.AddMinutes(-5) && body.CertifiedAt <= DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal("certified", await StatusEverywhere(election));
        Assert.Equal(body, await (await api.Client.GetAsync($"/v1/elections/{election}", Ct)).ReadAsync<ElectionDto>());

        // Certifying again changes nothing: the first certification stands.
        var history = await CertificationRows(election);
        var again = await Certify(election, "Another authority");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(body, await again.ReadAsync<ElectionDto>());
        Assert.Equal(history, await CertificationRows(election));
    }

    [Fact]
    public async Task An_incomplete_election_cannot_be_certified_and_nothing_is_written()
    {
        var (election, seats) = await NewNightAsync();
        var empty = await Certify(election);
        Assert.Contains("is notStarted, not complete: 0 of its 3 seats", (await Problem(empty, HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);

        // Every seat won, but one only called and one in recount: still partial.
        await DeclareOk(seats[0].Path, Declared(seats[0].Ids, 20000, 15000));
        await DeclareOk(seats[1].Path, new { status = "winnerKnown", winnerCandidateId = seats[1].Ids[1], source = "Count" });
        await DeclareOk(seats[2].Path, Declared(seats[2].Ids, 9000, 9500));
        var etag = (await api.Client.GetAsync(seats[2].Path, Ct)).Headers.ETag!;
        var recount = await Declare(seats[2].Path, new { status = "recount", source = "Returning officer", reason = "Close result" }, etag);
        Assert.Equal(HttpStatusCode.Created, recount.StatusCode);
        var before = await CertificationRows(election);

        var refused = await Certify(election);

        var problem = await Problem(refused, HttpStatusCode.Conflict);
        Assert.Equal("'" + election + "' is partial, not complete: 1 of its 3 seats have their result (declared or uncontested). Only a complete election can be certified.", problem.Detail);
        Assert.Equal(before, await CertificationRows(election));
        Assert.Equal("partial", await StatusEverywhere(election));

        // Nor can the database be made to certify it behind the API's back.
        await using var connection = await api.OpenConnectionAsync();
        var direct = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "UPDATE elections SET certified_at = now(), certified_by = 'sql', certification_source = 'sql' WHERE id = @election", new { election }));
        Assert.Equal("election_certification_complete", direct.ConstraintName);
    }

    [Fact]
    public async Task After_certification_declarations_are_refused_until_it_is_withdrawn_and_the_database_refuses_them_too()
    {
        var (election, seats) = await NewNightAsync();
        foreach (var (path, ids) in seats)
        {
            await DeclareOk(path, Declared(ids, 20000, 15000));
        }

        Assert.Equal(HttpStatusCode.OK, (await Certify(election)).StatusCode);
        var certifiedAt = (await (await api.Client.GetAsync($"/v1/elections/{election}", Ct)).ReadAsync<ElectionDto>()).CertifiedAt!.Value;
        var seat = seats[1];
        var etag = (await api.Client.GetAsync(seat.Path, Ct)).Headers.ETag!;
        var stored = await Revisions(election);

        // A correction (with the current ETag and a reason), a preview and a retraction: each a 409 naming the certification.
        var correction = await Declare(seat.Path, Declared(seat.Ids, 15000, 20000, "Bundles swapped"), etag);
        var problem = await Problem(correction, HttpStatusCode.Conflict);
        Assert.StartsWith($"Election '{election}' is certified (since ", problem.Detail, StringComparison.Ordinal);
        Assert.Contains($"DELETE /v1/elections/{election}/certification", problem.Detail, StringComparison.Ordinal);
        await Problem(await Declare(seat.Path, Declared(seat.Ids, 15000, 20000, "Bundles swapped"), etag, dryRun: true), HttpStatusCode.Conflict);
        await Problem(await Declare(seat.Path, new { status = "notDeclared", source = "Desk", reason = "Wrong seat" }, etag), HttpStatusCode.Conflict);

        // Another write path (an import setting the electorate) is refused by the database, with the same meaning.
        using var csv = new StringContent($"Constituency ID,Constituency Name,County,Region,Country,Electorate\n{seat.Path[^9..]},Seat 2,C,R,England,71000\n", Encoding.UTF8, "text/csv");
        var import = await api.Admin.PostAsync($"/v1/elections/{election}/imports?format=ec-constituencies&source=late.csv", csv, Ct);
        Assert.Contains("certified", (await Problem(import, HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);

        // And so is a revision written straight into the database.
        await using (var connection = await api.OpenConnectionAsync())
        {
            var direct = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("""
                INSERT INTO declarations (election_id, constituency_code, revision, status, source, entered_by, published_at)
                VALUES (@election, @code, 2, 'recount', 'sql', 'sql', now())
                """, new { election, code = seat.Path[^9..] }));
            Assert.Equal("election_certified", direct.ConstraintName);
        }

        // Nor may its baseline move (the gains and holds are final), though its name may change.
        await Put("/v1/elections/status-baseline", new { name = "Baseline", pollingDay = "2015-05-07", kind = "general" });
        var rebased = await api.Admin.PutAsJsonAsync($"/v1/elections/{election}", new { name = "Status night", pollingDay = "2017-06-08", kind = "general", previousElectionId = "status-baseline" }, Ct);
        Assert.Contains("certified", (await Problem(rebased, HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
        await Put($"/v1/elections/{election}", new { name = "Status night, certified", pollingDay = "2017-06-08", kind = "general" });

        Assert.Equal(stored, await Revisions(election));
        Assert.Equal(etag, (await api.Client.GetAsync(seat.Path, Ct)).Headers.ETag);
        Assert.Equal("certified", await StatusEverywhere(election));

        // Withdrawn (with a reason), the election is complete again and takes the correction; the history keeps both.
        Assert.Equal("reason", (await Problem(await api.Admin.DeleteAsync($"/v1/elections/{election}/certification", Ct), HttpStatusCode.BadRequest)).Errors!.Keys.Single());
        var withdrawn = await api.Admin.DeleteAsync($"/v1/elections/{election}/certification?reason=Seat%202%20bundles%20swapped", Ct);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var uncertified = await withdrawn.ReadAsync<ElectionDto>();
        Assert.Equal(("complete", null, null, null), (uncertified.Status, uncertified.CertifiedAt, uncertified.CertifiedBy, uncertified.CertificationSource));
        Assert.Equal("complete", await StatusEverywhere(election));
        Assert.Equal(HttpStatusCode.Created, (await Declare(seat.Path, Declared(seat.Ids, 15000, 20000, "Bundles swapped"), etag)).StatusCode);
        Assert.Contains("is not certified (it is complete)", (await Problem(
            await api.Admin.DeleteAsync($"/v1/elections/{election}/certification?reason=again", Ct), HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);

        await using (var connection = await api.OpenConnectionAsync())
        {
            var actions = await connection.QueryAsync<(string Action, string EnteredBy, string? Reason)>(new CommandDefinition(
                "SELECT action, entered_by, reason FROM election_certifications WHERE election_id = @election ORDER BY id", new { election }, cancellationToken: Ct));
            (string, string, string?)[] expected = [("certified", "admin", null), ("withdrawn", "admin", "Seat 2 bundles swapped")];
            Assert.Equal(expected, actions.ToArray());
        }

        // As of the moment of certification the election was certified (time travel reads the history), and is not now.
        var asOf = Uri.EscapeDataString(certifiedAt.ToString("O", CultureInfo.InvariantCulture));
        var then = await (await api.Client.GetAsync($"/v1/elections/{election}/tally?asOf={asOf}", Ct)).ReadAsync<StatusTallyDto>();
        Assert.Equal(("certified", 3), (then.ElectionStatus, then.Declared));
        Assert.Equal("complete", (await (await api.Client.GetAsync($"/v1/elections/{election}/tally", Ct)).ReadAsync<StatusTallyDto>()).ElectionStatus);
    }

    [Fact]
    public async Task Another_instance_serves_the_certification_and_its_withdrawal_from_the_notification()
    {
        var (election, seats) = await NewNightAsync();
        foreach (var (path, ids) in seats)
        {
            await DeclareOk(path, Declared(ids, 20000, 15000));
        }

        await using var other = api.CreateInstance();
        using var poller = other.CreateClient();
        async Task<string> StatusOn(string path) => path.EndsWith("/tally", StringComparison.Ordinal)
            ? (await (await poller.GetAsync(path, Ct)).ReadAsync<StatusTallyDto>()).ElectionStatus
            : (await (await poller.GetAsync(path, Ct)).ReadAsync<ElectionDto>()).Status;
        string[] documents = [$"/v1/elections/{election}", $"/v1/elections/{election}/tally", $"/v1/elections/{election}/areas/first-two/tally"];
        async Task AwaitStatus(string expected)
        {
            // The other instance hears of the write through PostgreSQL's notification, within milliseconds.
            var deadline = DateTime.UtcNow.AddSeconds(5);
            foreach (var path in documents)
            {
                while (await StatusOn(path) != expected)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"{path} on the other instance still does not say {expected}.");
                    await Task.Delay(20, Ct);
                }
            }
        }

        // Read (and so cached) on the other instance first.
        await AwaitStatus("complete");

        Assert.Equal(HttpStatusCode.OK, (await Certify(election)).StatusCode);
        await AwaitStatus("certified");

        Assert.Equal(HttpStatusCode.OK, (await api.Admin.DeleteAsync($"/v1/elections/{election}/certification?reason=Recount%20ordered", Ct)).StatusCode);
        await AwaitStatus("complete");
    }

    [Fact]
    public async Task Only_an_admin_key_certifies_or_withdraws()
    {
        var (election, seats) = await NewNightAsync();
        foreach (var (path, ids) in seats)
        {
            await DeclareOk(path, Declared(ids, 20000, 15000));
        }

        var before = await CertificationRows(election);
        foreach (var role in new[] { "reader", "results-entry" })
        {
            var key = (await (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = $"status-{role}-{election}", role }, Ct)).ReadAsync<CreatedKey>()).Key;
            using var client = api.Factory.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            await Problem(await Certify(election, client: client), HttpStatusCode.Forbidden);
            await Problem(await client.DeleteAsync($"/v1/elections/{election}/certification?reason=x", Ct), HttpStatusCode.Forbidden);
        }

        await Problem(await Certify(election, client: api.Client), HttpStatusCode.Unauthorized);
        await Problem(await api.Client.DeleteAsync($"/v1/elections/{election}/certification?reason=x", Ct), HttpStatusCode.Unauthorized);
        Assert.Equal(before, await CertificationRows(election));
        Assert.Equal("complete", await StatusEverywhere(election));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\u0007source")]
    public async Task A_certification_names_its_authority(string source)
    {
        var (election, _) = await NewNightAsync();

        var refused = await Certify(election, source);

        Assert.Contains("source", (await Problem(refused, HttpStatusCode.BadRequest)).Errors!.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await Certify("no-such-election")).StatusCode);
    }
}
