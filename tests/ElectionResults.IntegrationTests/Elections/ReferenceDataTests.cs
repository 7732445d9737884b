using System.Net;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Elections;

public sealed class ReferenceDataTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record ElectionDto(string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest);

    private sealed record PartyDto(string Party, string PartyName, string ShortName, string Colour, string TextColour);

    private sealed record AreaDto(string Id, string Name, string Kind, int Seats);

    private sealed record AreaListDto(string ElectionId, List<AreaDto> Areas);

    [Fact]
    public async Task Put_election_creates_then_updates()
    {
        var created = await api.Admin.PutAsJsonAsync("/v1/elections/ge2019", new { name = "General election 2019", pollingDay = "2019-12-12", kind = "general" }, Ct);
        var updated = await api.Admin.PutAsJsonAsync("/v1/elections/ge2019", new { name = "UK general election 2019", pollingDay = "2019-12-12", kind = "general", isTest = true }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/elections/ge2019", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var read = await (await api.Client.GetAsync("/v1/elections/ge2019", Ct)).ReadAsync<ElectionDto>();
        Assert.Equal(new ElectionDto("ge2019", "UK general election 2019", new DateOnly(2019, 12, 12), "general", null, true), read);
        Assert.DoesNotContain(await (await api.Client.GetAsync("/v1/elections", Ct)).ReadAsync<List<ElectionDto>>(), e => e.Id == "ge2019");
        Assert.Contains(await (await api.Client.GetAsync("/v1/elections?includeTest=true", Ct)).ReadAsync<List<ElectionDto>>(), e => e is { Id: "ge2019", IsTest: true });
    }

    [Fact]
    public async Task Previous_election_must_exist_and_may_not_form_a_cycle()
    {
        await api.Admin.PutAsJsonAsync("/v1/elections/cycle-a", new { name = "A", pollingDay = "2001-06-07", kind = "general" }, Ct);
        await api.Admin.PutAsJsonAsync("/v1/elections/cycle-b", new { name = "B", pollingDay = "2005-05-05", kind = "general", previousElectionId = "cycle-a" }, Ct);

        var cycle = await api.Admin.PutAsJsonAsync("/v1/elections/cycle-a", new { name = "A", pollingDay = "2001-06-07", kind = "general", previousElectionId = "cycle-b" }, Ct);
        var missing = await api.Admin.PutAsJsonAsync("/v1/elections/cycle-c", new { name = "C", pollingDay = "2010-05-06", kind = "general", previousElectionId = "nowhere" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, cycle.StatusCode);
        Assert.Contains("previousElectionId", (await cycle.ReadAsync<ProblemDto>()).Errors!.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Null((await (await api.Client.GetAsync("/v1/elections/cycle-a", Ct)).ReadAsync<ElectionDto>()).PreviousElectionId);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/v1/elections/cycle-c", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("/v1/elections/Bad_Id", """{"name":"x","pollingDay":"2019-12-12","kind":"general"}""", "electionId")]
    [InlineData("/v1/elections/ok", """{"name":"","pollingDay":"2019-12-12","kind":"general"}""", "name")]
    [InlineData("/v1/elections/ok", """{"name":"x","kind":"general"}""", "pollingDay")]
    [InlineData("/v1/elections/ok", """{"name":"x","pollingDay":"2019-12-12","kind":"referendum"}""", "kind")]
    [InlineData("/v1/parties/Con", """{"name":"Conservative","colour":"blue"}""", "colour")]
    public async Task Invalid_reference_data_is_400_with_the_field_named(string path, string json, string field)
    {
        var response = await api.Admin.PutAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ReadAsync<ProblemDto>()).Errors!.Keys);
    }

    [Fact]
    public async Task Parties_keep_their_colours_in_upper_case()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.Admin.PutAsJsonAsync("/v1/parties/Green", new { name = "Green Party", colour = "#02a95b" }, Ct)).StatusCode);

        var parties = await (await api.Client.GetAsync("/v1/parties", Ct)).ReadAsync<List<PartyDto>>();

        Assert.Contains(new PartyDto("Green", "Green Party", "Green", "#02A95B", "#000000"), parties);
    }

    [Fact]
    public async Task Areas_group_constituencies_and_a_custom_patch_gets_its_own_tally()
    {
        await api.Admin.PutAsJsonAsync("/v1/elections/areas-test", new { name = "Areas", pollingDay = "2017-06-08", kind = "general" }, Ct);
        await api.Admin.PutAsJsonAsync("/v1/elections/areas-test/areas/county", new { name = "County", kind = "county" }, Ct);
        foreach (var code in new[] { "E14000001", "E14000002", "E14000003" })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.Admin.PutAsJsonAsync($"/v1/elections/areas-test/constituencies/{code}", new { name = $"Seat {code}", electorate = 1000, areas = new[] { "county" } }, Ct)).StatusCode);
        }

        var patch = await api.Admin.PutAsJsonAsync("/v1/elections/areas-test/areas/bbc-patch", new { name = "Our patch", kind = "custom", constituencies = new[] { "E14000001", "E14000003" } }, Ct);
        var unknownSeat = await api.Admin.PutAsJsonAsync("/v1/elections/areas-test/areas/bad", new { name = "Bad", kind = "custom", constituencies = new[] { "E14000009" } }, Ct);
        var unknownArea = await api.Admin.PutAsJsonAsync("/v1/elections/areas-test/constituencies/E14000004", new { name = "Seat", areas = new[] { "nowhere" } }, Ct);

        Assert.Equal(HttpStatusCode.Created, patch.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownSeat.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownArea.StatusCode);
        var areas = await (await api.Client.GetAsync("/v1/elections/areas-test/areas", Ct)).ReadAsync<AreaListDto>();
        Assert.Equal([("county", 3), ("bbc-patch", 2)], areas.Areas.Select(a => (a.Id, a.Seats)));
        var tally = await (await api.Client.GetAsync("/v1/elections/areas-test/areas/bbc-patch/tally", Ct)).ReadAsync<TallyDto>();
        Assert.Equal((2, 0, 2), (tally.Seats, tally.Declared, tally.MajorityLine));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/v1/elections/areas-test/constituencies/E14000004", Ct)).StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/swagger/index.html", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/openapi/v1.json", Ct)).StatusCode);
    }

    [Fact]
    public async Task Every_document_of_a_test_election_says_so()
    {
        await api.Admin.PutAsJsonAsync("/v1/elections/rehearsal", new { name = "Rehearsal", pollingDay = "2026-11-26", kind = "by-election", isTest = true }, Ct);
        await api.Admin.PutAsJsonAsync("/v1/elections/rehearsal/areas/patch", new { name = "Patch", kind = "custom" }, Ct);
        await api.Admin.PutAsJsonAsync("/v1/elections/rehearsal/constituencies/E14000810", new { name = "Mansfield", areas = new[] { "patch" } }, Ct);

        foreach (var path in new[] { "", "/tally", "/areas", "/areas/patch/tally", "/constituencies", "/constituencies/E14000810", "/changes" })
        {
            var body = await (await api.Client.GetAsync($"/v1/elections/rehearsal{path}", Ct)).Content.ReadAsStringAsync(Ct);
            Assert.Contains("\"isTest\":true", body);
        }
    }
}
