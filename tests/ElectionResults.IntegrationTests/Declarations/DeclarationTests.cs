using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Declarations;

/// <summary>Declaring, correcting and protecting results, against a database built through the API.</summary>
public sealed class DeclarationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] Patch = ["patch"];
    private static int _seatCounter;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new seat with three candidates (Con, Lab, LD) at a fresh election whose baseline had Lab winning.</summary>
    private async Task<(string Path, long[] Ids)> NewSeatAsync()
    {
        var n = Interlocked.Increment(ref _seatCounter);
        var code = $"E9{n:D7}";
        await Put("/v1/parties/Con", new { name = "Conservative", colour = "#0087dc" });
        await Put("/v1/parties/Lab", new { name = "Labour", colour = "#E4003B" });
        await Put("/v1/parties/LD", new { name = "Liberal Democrat", colour = "#FAA61A" });
        await Put("/v1/elections/before", new { name = "Baseline", pollingDay = "2015-05-07", kind = "general" });
        await Put("/v1/elections/night", new { name = "Election night", pollingDay = "2017-06-08", kind = "general", previousElectionId = "before" });
        await Put("/v1/elections/night/areas/patch", new { name = "Our patch", kind = "custom" });
        await Put($"/v1/elections/before/constituencies/{code}", new { name = $"Seat {n}", electorate = 70000 });
        await Put($"/v1/elections/night/constituencies/{code}", new { name = $"Seat {n}", electorate = 70000, areas = Patch });

        var before = new List<long>();
        foreach (var (name, party) in new[] { ("Old Lab", "Lab"), ("Old Con", "Con") })
        {
            before.Add((await (await api.Admin.PostAsJsonAsync($"/v1/elections/before/constituencies/{code}/candidates", new { name, party }, Ct)).ReadAsync<CandidateDto>()).Id);
        }

        var declared = await api.Admin.PostAsJsonAsync($"/v1/elections/before/constituencies/{code}/declarations", new
        {
            votes = new[] { new { candidateId = before[0], votes = 20000L }, new { candidateId = before[1], votes = 15000L } },
            declaredAt = "2015-05-08T02:00:00+01:00",
            source = "test",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);

        var ids = new List<long>();
        foreach (var (name, party) in new[] { ("Ann Con", "Con"), ("Bob Lab", "Lab"), ("Cat LD", "LD") })
        {
            var created = await api.Admin.PostAsJsonAsync($"/v1/elections/night/constituencies/{code}/candidates", new { name, party }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await created.ReadAsync<CandidateDto>()).Id);
        }

        return ($"/v1/elections/night/constituencies/{code}", ids.ToArray());
    }

    private async Task Put(string path, object body)
    {
        var response = await api.Admin.PutAsJsonAsync(path, body, Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static object Declaration(long[] ids, long con, long lab, long ld, string? reason = null) => new
    {
        votes = new[] { new { candidateId = ids[0], votes = con }, new { candidateId = ids[1], votes = lab }, new { candidateId = ids[2], votes = ld } },
        invalidVotes = 120L,
        declaredAt = "2017-06-09T03:17:00+01:00",
        source = "Returning officer",
        reason,
    };

    private async Task<HttpResponseMessage> Declare(string path, object body, EntityTagHeaderValue? ifMatch = null, HttpClient? client = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/declarations") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await (client ?? api.Admin).SendAsync(request, Ct);
    }

    private async Task<string> Dump()
    {
        await using var connection = await api.OpenConnectionAsync();
        var rows = await connection.QueryAsync<string>("""
            SELECT 'd' || row(d.*)::text FROM declarations d
            UNION ALL SELECT 'v' || row(v.*)::text FROM declaration_votes v
            UNION ALL SELECT 'c' || row(c.*)::text FROM candidacies c
            ORDER BY 1
            """);
        return string.Join('\n', rows);
    }

    [Fact]
    public async Task First_declaration_returns_the_document_and_its_etag_which_a_get_repeats()
    {
        var (path, ids) = await NewSeatAsync();

        var response = await Declare(path, Declaration(ids, 23392, 22335, 697));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(path, response.Headers.Location?.OriginalString);
        var seat = await response.ReadAsync<ConstituencyDto>();
        Assert.Equal(("declared", 1, "Con gain from Lab", 1057L), (seat.Status, seat.Revision, seat.Result, seat.Majority));
        Assert.Equal(new WinnerDto("Ann Con", "Con"), seat.Winner);
        Assert.Equal(46424L, seat.ValidVotes);

        var get = await api.Client.GetAsync(path, Ct);
        Assert.Equal(response.Headers.ETag, get.Headers.ETag);
        Assert.Equal(await response.Content.ReadAsStringAsync(Ct), await get.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_correction_with_the_current_etag_adds_a_revision_and_keeps_the_first()
    {
        var (path, ids) = await NewSeatAsync();
        var first = await Declare(path, Declaration(ids, 22335, 23392, 697));
        Assert.Equal("Lab hold", (await first.ReadAsync<ConstituencyDto>()).Result);

        var corrected = await Declare(path, Declaration(ids, 23392, 22335, 697, reason: "Wrong winner announced"), first.Headers.ETag);

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        var seat = await corrected.ReadAsync<ConstituencyDto>();
        Assert.Equal((2, "Con gain from Lab"), (seat.Revision!.Value, seat.Result));
        var revisions = await (await api.Client.GetAsync($"{path}/revisions", Ct)).ReadAsync<RevisionListDto>();
        Assert.Equal([("Lab hold", (string?)null), ("Con gain from Lab", "Wrong winner announced")], revisions.Revisions.Select(r => (r.Result!, r.Reason)));
        Assert.All(revisions.Revisions, r => Assert.Equal("admin", r.EnteredBy));
    }

    [Fact]
    public async Task A_stale_etag_gets_412_and_changes_nothing()
    {
        var (path, ids) = await NewSeatAsync();
        var first = await Declare(path, Declaration(ids, 100, 90, 10));
        var second = await Declare(path, Declaration(ids, 100, 95, 10, reason: "recounted"), first.Headers.ETag);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var before = await Dump();
        var documentBefore = await (await api.Client.GetAsync(path, Ct)).Content.ReadAsStringAsync(Ct);

        var stale = await Declare(path, Declaration(ids, 1, 2, 3, reason: "late correction"), first.Headers.ETag);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(412, (await stale.ReadAsync<ProblemDto>()).Status);
        Assert.Equal(before, await Dump());
        Assert.Equal(documentBefore, await (await api.Client.GetAsync(path, Ct)).Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_second_declaration_without_if_match_is_a_conflict()
    {
        var (path, ids) = await NewSeatAsync();
        Assert.Equal(HttpStatusCode.Created, (await Declare(path, Declaration(ids, 100, 90, 10))).StatusCode);

        var again = await Declare(path, Declaration(ids, 100, 90, 10, reason: "again"));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("If-Match", (await again.ReadAsync<ProblemDto>()).Detail);
    }

    [Fact]
    public async Task A_correction_must_give_a_reason()
    {
        var (path, ids) = await NewSeatAsync();
        var first = await Declare(path, Declaration(ids, 100, 90, 10));

        var noReason = await Declare(path, Declaration(ids, 100, 91, 10), first.Headers.ETag);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", (await noReason.ReadAsync<ProblemDto>()).Errors!.Keys);
    }

    public static TheoryData<string, string> BadDeclarations => new()
    {
        { "negative", "votes[1].votes" },
        { "missing", "votes" },
        { "duplicated", "votes[2]" },
        { "unknown", "votes[2].candidateId" },
        { "overflow", "votes[0].votes" },
        { "no-source", "source" },
        { "no-time", "declaredAt" },
        { "bad-status", "status" },
    };

    [Theory]
    [MemberData(nameof(BadDeclarations))]
    public async Task Bad_declarations_get_400_naming_the_field_and_change_nothing(string kind, string field)
    {
        var (path, ids) = await NewSeatAsync();
        var before = await Dump();
        object body = kind switch
        {
            "negative" => Declaration(ids, 100, -1, 10),
            "missing" => new { votes = new[] { new { candidateId = ids[0], votes = 1 }, new { candidateId = ids[1], votes = 2 } }, declaredAt = "2017-06-09T03:00:00Z", source = "s" },
            "duplicated" => new { votes = new[] { new { candidateId = ids[0], votes = 1 }, new { candidateId = ids[1], votes = 2 }, new { candidateId = ids[1], votes = 3 }, new { candidateId = ids[2], votes = 3 } }, declaredAt = "2017-06-09T03:00:00Z", source = "s" },
            "unknown" => new { votes = new[] { new { candidateId = ids[0], votes = 1 }, new { candidateId = ids[1], votes = 2 }, new { candidateId = 999_999_999L, votes = 3 } }, declaredAt = "2017-06-09T03:00:00Z", source = "s" },
            "overflow" => Declaration(ids, 10_000_000_000, 1, 1),
            "no-source" => new { votes = new[] { new { candidateId = ids[0], votes = 1 } }, declaredAt = "2017-06-09T03:00:00Z", source = "" },
            "no-time" => new { votes = new[] { new { candidateId = ids[0], votes = 1 } }, source = "s" },
            _ => new { status = "won", source = "s", declaredAt = "2017-06-09T03:00:00Z" },
        };

        var response = await Declare(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadAsync<ProblemDto>();
        Assert.Contains(field, problem.Errors!.Keys);
        Assert.Equal(before, await Dump());
    }

    [Fact]
    public async Task Malformed_json_and_unknown_fields_are_400_problems()
    {
        var (path, _) = await NewSeatAsync();

        var malformed = await api.Admin.PostAsync($"{path}/declarations", new StringContent("{\"votes\": [", System.Text.Encoding.UTF8, "application/json"), Ct);
        var unknownField = await api.Admin.PostAsync($"{path}/declarations", new StringContent("""{"source":"s","declaredAt":"2017-06-09T03:00:00Z","votes":[],"winner":"me"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        var wrongType = await api.Admin.PostAsync($"{path}/declarations", new StringContent("""{"source":"s","declaredAt":"2017-06-09T03:00:00Z","votes":[{"candidateId":"one","votes":1}]}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        foreach (var response in new[] { malformed, unknownField, wrongType })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Writes_without_a_valid_key_are_401_and_reads_need_none()
    {
        var (path, ids) = await NewSeatAsync();
        using var wrongKey = api.Factory.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "guess");

        Assert.Equal(HttpStatusCode.Unauthorized, (await Declare(path, Declaration(ids, 1, 2, 3), client: api.Client)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Declare(path, Declaration(ids, 1, 2, 3), client: wrongKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client.PutAsJsonAsync("/v1/parties/Con", new { name = "x", colour = "#000000" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task Nominations_freeze_once_the_seat_is_declared_and_the_database_refuses_rewrites()
    {
        var (path, ids) = await NewSeatAsync();
        await Declare(path, Declaration(ids, 100, 90, 10));

        var rename = await api.Admin.PutAsJsonAsync($"{path}/candidates/{ids[0]}", new { name = "Someone else", party = "Con" }, Ct);
        var late = await api.Admin.PostAsJsonAsync($"{path}/candidates", new { name = "Late", party = "Con" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, rename.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);

        await using var connection = await api.OpenConnectionAsync();
        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("UPDATE declaration_votes SET votes = votes + 1"));
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("DELETE FROM declarations"));
        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
    }

    [Fact]
    public async Task Recount_hides_the_result_until_the_next_declaration()
    {
        var (path, ids) = await NewSeatAsync();
        var first = await Declare(path, Declaration(ids, 100, 99, 10));

        var recount = await Declare(path, new { status = "recount", source = "Returning officer", reason = "Recount called" }, first.Headers.ETag);
        var seat = await recount.ReadAsync<ConstituencyDto>();
        Assert.Equal(("recount", 2), (seat.Status, seat.Revision!.Value));
        Assert.Null(seat.Winner);
        Assert.All(seat.Candidates, c => Assert.Null(c.Votes));
        var tally = await (await api.Client.GetAsync("/v1/elections/night/areas/patch/tally", Ct)).ReadAsync<TallyDto>();
        Assert.True(tally.Declared < tally.Seats);

        var final = await Declare(path, Declaration(ids, 100, 101, 10, reason: "Recount result"), recount.Headers.ETag);
        var after = await final.ReadAsync<ConstituencyDto>();
        Assert.Equal(("declared", 3, "Lab hold"), (after.Status, after.Revision!.Value, after.Result));
    }

    [Fact]
    public async Task A_tie_for_first_place_is_reported_not_broken()
    {
        var (path, ids) = await NewSeatAsync();

        var seat = await (await Declare(path, Declaration(ids, 500, 500, 10))).ReadAsync<ConstituencyDto>();

        Assert.Null(seat.Winner);
        Assert.Equal(0L, seat.Majority);
        Assert.Equal(["Con", "Lab"], seat.TiedParties);
        Assert.Equal("Tie between Con and Lab", seat.Result);
        Assert.DoesNotContain(seat.Candidates, c => c.Elected);
    }

    [Fact]
    public async Task Parallel_corrections_of_one_seat_yield_exactly_one_revision()
    {
        var (path, ids) = await NewSeatAsync();
        var first = await Declare(path, Declaration(ids, 100, 90, 10));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Declare(path, Declaration(ids, 100 + i, 90, 10, reason: $"desk {i}"), first.Headers.ETag)));

        Assert.Equal(1, attempts.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, attempts.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        var revisions = await (await api.Client.GetAsync($"{path}/revisions", Ct)).ReadAsync<RevisionListDto>();
        Assert.Equal([1, 2], revisions.Revisions.Select(r => r.Revision));
    }

    [Fact]
    public async Task A_retried_declaration_with_the_same_idempotency_key_returns_the_first_answer()
    {
        var (path, ids) = await NewSeatAsync();

        var first = await Declare(path, Declaration(ids, 100, 90, 10), idempotencyKey: "decl-1");
        var retry = await Declare(path, Declaration(ids, 100, 90, 10), idempotencyKey: "decl-1");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));

        // A correction whose answer was lost: the retry carries the now-stale If-Match but gets the first answer, not 412.
        var correction = await Declare(path, Declaration(ids, 100, 95, 10, reason: "typo"), first.Headers.ETag, idempotencyKey: "decl-2");
        var correctionRetry = await Declare(path, Declaration(ids, 100, 95, 10, reason: "typo"), first.Headers.ETag, idempotencyKey: "decl-2");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (correction.StatusCode, correctionRetry.StatusCode));

        var revisions = await (await api.Client.GetAsync($"{path}/revisions", Ct)).ReadAsync<RevisionListDto>();
        Assert.Equal([1, 2], revisions.Revisions.Select(r => r.Revision));
    }

    [Fact]
    public async Task Reusing_an_idempotency_key_for_a_different_request_is_422_and_changes_nothing()
    {
        var (path, ids) = await NewSeatAsync();
        var first = await Declare(path, Declaration(ids, 100, 90, 10), idempotencyKey: "decl-3");
        var before = await Dump();

        var other = await Declare(path, Declaration(ids, 1, 2, 3, reason: "other"), first.Headers.ETag, idempotencyKey: "decl-3");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal(before, await Dump());
    }

    [Fact]
    public async Task Parallel_retries_with_one_idempotency_key_make_one_revision()
    {
        var (path, ids) = await NewSeatAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Declare(path, Declaration(ids, 7, 6, 5), idempotencyKey: "decl-4")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single(answers.Select(a => a.Headers.ETag!.Tag).Distinct());
        var revisions = await (await api.Client.GetAsync($"{path}/revisions", Ct)).ReadAsync<RevisionListDto>();
        Assert.Single(revisions.Revisions);
    }

    [Fact]
    public async Task An_if_match_that_is_not_an_entity_tag_is_400()
    {
        var (path, ids) = await NewSeatAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/declarations") { Content = JsonContent.Create(Declaration(ids, 1, 2, 3)) };
        request.Headers.TryAddWithoutValidation("If-Match", "garbage");

        var response = await api.Admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("If-Match", (await response.ReadAsync<ProblemDto>()).Errors!.Keys);
        Assert.Equal("notDeclared", (await (await api.Client.GetAsync(path, Ct)).ReadAsync<ConstituencyDto>()).Status);
    }

    [Fact]
    public async Task A_trailing_newline_does_not_pass_a_format_check()
    {
        var election = await api.Admin.PutAsJsonAsync("/v1/elections/ge2019%0A", new { name = "x", pollingDay = "2019-12-12", kind = "general" }, Ct);
        var party = await api.Admin.PutAsJsonAsync("/v1/parties/Con", new { name = "Conservative", colour = "#0087DC\n" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, election.StatusCode);
        Assert.Contains("electionId", (await election.ReadAsync<ProblemDto>()).Errors!.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, party.StatusCode);
        Assert.Contains("colour", (await party.ReadAsync<ProblemDto>()).Errors!.Keys);
    }
}
