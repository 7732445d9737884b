using System.Net;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Elections;

/// <summary>GET /v1/elections/{id}/hexmap: each election's boundary set and its hex map, on the demo's four elections.</summary>
public sealed class HexMapTests(DemoApiFixture demo) : IClassFixture<DemoApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record HexDto(string Name, int Q, int R);

    private sealed record HexMapDto(string ElectionId, string Boundaries, string Layout, string Attribution, Dictionary<string, HexDto> Hexes);

    private async Task<HexMapDto> MapAsync(string electionId) =>
        await (await demo.Api.Client.GetAsync($"/v1/elections/{electionId}/hexmap", Ct)).ReadAsync<HexMapDto>();

    [Theory]
    [InlineData("ge2015", "2010")]
    [InlineData("ge2017", "2010")]
    [InlineData("ge2019", "2010")]
    [InlineData("ge2024", "2024")]
    public async Task Each_election_gets_the_map_of_its_boundaries_with_a_hex_for_every_seat(string electionId, string boundaries)
    {
        var map = await MapAsync(electionId);
        var seats = await demo.Api.Client.GetFromJsonAsync<ListDto>($"/v1/elections/{electionId}/constituencies", Ct);

        Assert.Equal((electionId, boundaries, "odd-r", 650), (map.ElectionId, map.Boundaries, map.Layout, map.Hexes.Count));
        Assert.StartsWith("Hex map layout: Open Innovations", map.Attribution, StringComparison.Ordinal);
        Assert.Equal(seats!.Constituencies.Select(c => c.Code).Order(StringComparer.Ordinal), map.Hexes.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_2024_map_has_the_new_codes_its_negative_rows_and_the_accent()
    {
        var map = await MapAsync("ge2024");

        Assert.Equal(new HexDto("Montgomeryshire and Glyndŵr", map.Hexes["W07000102"].Q, map.Hexes["W07000102"].R), map.Hexes["W07000102"]);
        Assert.All(map.Hexes.Values, hex => Assert.True(hex.R <= 0));
        Assert.Equal(new HexDto("South West Devon", 47, -45), map.Hexes["E14001495"]);
        Assert.Contains("S14000107", map.Hexes.Keys);   // a reissued Scottish code
        Assert.DoesNotContain("E14000810", map.Hexes.Keys);   // Mansfield's old code
    }

    [Fact]
    public async Task An_election_without_seats_gets_the_current_boundaries_and_an_unknown_one_404()
    {
        var created = await demo.Api.Admin.PutAsJsonAsync("/v1/elections/ge2029-hexmap", new { name = "Next general election", pollingDay = "2029-05-03", kind = "general" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Equal("2024", (await MapAsync("ge2029-hexmap")).Boundaries);
        var missing = await demo.Api.Client.GetAsync("/v1/elections/no-such-election/hexmap", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    private sealed record SeatDto(string Code);

    private sealed record ListDto(List<SeatDto> Constituencies);
}
