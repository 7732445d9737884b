using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Night;

// The contract of the night's states as a client reads it (deliberately not the API's own types).

public sealed record NightCandidateDto(long Id, string Name, string Party, long? Votes, bool Elected, string? Description);

public sealed record NightSeatDto(
    string Code, string Name, string Status, int? Revision, long? ValidVotes, List<NightCandidateDto> Candidates, WinnerDto? Winner,
    long? Majority, string? Result, bool Gain, SwingDto? Swing, List<string> TiedParties, bool DecidedByLot, int? RecountNumber,
    bool Corrected, string? Reason, DateTimeOffset? ExpectedDeclarationAt);

public sealed record NightTallyDto(
    int Seats, int Declared, int WinnerKnown, int Undecided, int InRecount, int Postponed, int Remaining, int RemainingExpectedByNextHour,
    List<TallyPartyDto> Parties)
{
    public TallyPartyDto? Party(string code) => Parties.SingleOrDefault(p => p.Party == code);

    /// <summary>The identities every tally keeps, whatever the night has done.</summary>
    public void AssertAddsUp()
    {
        Assert.Equal(Declared + WinnerKnown, Parties.Sum(p => p.Seats) + Undecided);
        Assert.Equal(Seats, Declared + WinnerKnown + Postponed + Remaining);
        Assert.InRange(InRecount, 0, Remaining);
        Assert.Equal(0, Parties.Sum(p => p.Net));
    }
}

public sealed record PreviousDto(string Status, WinnerDto? Winner, string? Result);

public sealed record ChangeItemDto(
    long Cursor, string Code, string Name, string Kind, string Status, int? Revision, WinnerDto? Winner, string? Result, bool Gain,
    PreviousDto? Previous, string? Reason, List<string> Areas);

public sealed record FeedDto(string ElectionId, long Cursor, List<ChangeItemDto> Changes);

public sealed record NightRevisionDto(int Revision, string Status, string Kind, string? Reason, WinnerDto? Winner, string? Result, int? RecountNumber, bool DecidedByLot);

public sealed record NightRevisionListDto(List<NightRevisionDto> Revisions);

/// <summary>A seat of the test night: its code, its document's path and its candidacies (Con, Lab, LD).</summary>
public sealed record DeskSeat(string Code, string Path, long[] Ids)
{
    public long Con => Ids[0];
    public long Lab => Ids[1];
    public long LD => Ids[2];
}

/// <summary>
/// A results desk on a test night: an election <c>night</c> whose baseline <c>before</c> had Labour winning every seat
/// (Lab 20,000, Con 15,000), and seats with three candidates (Ann Con, Bob Lab, Cat LD) in the area <c>patch</c>.
/// </summary>
public sealed class NightDesk(ApiFixture api)
{
    public const string Election = "night";
    private static readonly string[] Patch = ["patch"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task SetUpAsync()
    {
        await PutAsync("/v1/parties/Con", new { name = "Conservative", colour = "#0087DC" });
        await PutAsync("/v1/parties/Lab", new { name = "Labour", colour = "#E4003B" });
        await PutAsync("/v1/parties/LD", new { name = "Liberal Democrat", colour = "#FAA61A" });
        await PutAsync("/v1/elections/before", new { name = "Baseline", pollingDay = "2015-05-07", kind = "general" });
        await PutAsync($"/v1/elections/{Election}", new { name = "Rehearsal night", pollingDay = "2017-06-08", kind = "general", previousElectionId = "before", isTest = true });
        await PutAsync($"/v1/elections/{Election}/areas/patch", new { name = "Our patch", kind = "custom" });
    }

    public async Task<DeskSeat> SeatAsync(string code, string name, DateTimeOffset? expected = null)
    {
        await PutAsync($"/v1/elections/before/constituencies/{code}", new { name, electorate = 70000 });
        await PutAsync($"/v1/elections/{Election}/constituencies/{code}", new { name, electorate = 70000, areas = Patch, expectedDeclarationAt = expected });
        var before = new List<long>();
        foreach (var (candidate, party) in new[] { ("Old Lab", "Lab"), ("Old Con", "Con") })
        {
            before.Add(await NominateAsync("before", code, candidate, party));
        }

        var declared = await api.Admin.PostAsJsonAsync($"/v1/elections/before/constituencies/{code}/declarations", new
        {
            votes = new[] { new { candidateId = before[0], votes = 20000L }, new { candidateId = before[1], votes = 15000L } },
            declaredAt = "2015-05-08T02:00:00+01:00",
            source = "test",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);

        var ids = new List<long>();
        foreach (var (candidate, party) in new[] { ("Ann Con", "Con"), ("Bob Lab", "Lab"), ("Cat LD", "LD") })
        {
            ids.Add(await NominateAsync(Election, code, candidate, party));
        }

        return new DeskSeat(code, $"/v1/elections/{Election}/constituencies/{code}", ids.ToArray());
    }

    public async Task<long> NominateAsync(string election, string code, string name, string party, string? description = null)
    {
        var created = await api.Admin.PostAsJsonAsync($"/v1/elections/{election}/constituencies/{code}/candidates", new { name, party, description }, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        return (await created.ReadAsync<NightCandidateDto>()).Id;
    }

    public async Task PutAsync(string path, object body)
    {
        var response = await api.Admin.PutAsJsonAsync(path, body, Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>Votes for Con, Lab and LD, as a declaration body.</summary>
    public static object Declared(DeskSeat seat, long con, long lab, long ld, string? reason = null, long? lot = null, string declaredAt = "2017-06-09T03:17:00+01:00") => new
    {
        votes = new[] { new { candidateId = seat.Con, votes = con }, new { candidateId = seat.Lab, votes = lab }, new { candidateId = seat.LD, votes = ld } },
        declaredAt,
        source = "Returning officer",
        reason,
        lotWinnerCandidateId = lot,
    };

    public async Task<HttpResponseMessage> PostAsync(DeskSeat seat, object body, EntityTagHeaderValue? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{seat.Path}/declarations") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        return await api.Admin.SendAsync(request, Ct);
    }

    /// <summary>Posts and insists on 201.</summary>
    public async Task<NightSeatDto> SubmitAsync(DeskSeat seat, object body, bool withIfMatch = false)
    {
        var etag = withIfMatch ? (await ReadAsync(seat)).ETag : null;
        var response = await PostAsync(seat, body, etag);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadAsync<NightSeatDto>();
    }

    public async Task<(NightSeatDto Seat, EntityTagHeaderValue ETag)> ReadAsync(DeskSeat seat)
    {
        var response = await api.Client.GetAsync(seat.Path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<NightSeatDto>(), response.Headers.ETag!);
    }

    public async Task<NightTallyDto> TallyAsync(string? area = null)
    {
        var tally = await (await api.Client.GetAsync(area is null ? $"/v1/elections/{Election}/tally" : $"/v1/elections/{Election}/areas/{area}/tally", Ct)).ReadAsync<NightTallyDto>();
        tally.AssertAddsUp();
        return tally;
    }

    public async Task<(FeedDto Feed, string Json)> FeedAsync(long since)
    {
        var response = await api.Client.GetAsync($"/v1/elections/{Election}/changes?since={since}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync(Ct);
        return (System.Text.Json.JsonSerializer.Deserialize<FeedDto>(json, System.Text.Json.JsonSerializerOptions.Web)!, json);
    }

    public async Task<NightRevisionListDto> RevisionsAsync(DeskSeat seat) =>
        await (await api.Client.GetAsync($"{seat.Path}/revisions", Ct)).ReadAsync<NightRevisionListDto>();
}
