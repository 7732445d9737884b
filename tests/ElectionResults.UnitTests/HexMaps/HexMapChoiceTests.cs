using ElectionResults.Api.Features.HexMaps;

namespace ElectionResults.UnitTests.HexMaps;

public sealed class HexMapChoiceTests
{
    private static readonly HexMap Old = new("2010", "odd-r", new Dictionary<string, HexResponse>
    {
        ["S14000021"] = new("East Renfrewshire", 0, 0), ["E14000810"] = new("Mansfield", 1, 0), ["E14000530"] = new("Aldershot", 2, 0),
    });

    private static readonly HexMap New = new("2024", "odd-r", new Dictionary<string, HexResponse>
    {
        ["S14000021"] = new("East Renfrewshire", 0, -1), ["E14001063"] = new("Aldershot", 1, -1),
    });

    private static readonly HexMap[] Both = [Old, New];

    [Fact]
    public void An_election_belongs_to_the_set_that_holds_the_most_of_its_seats()
    {
        // East Renfrewshire is in both sets (its code survived 2024); the rest decides.
        Assert.Equal("2010", BoundarySets.For(["S14000021", "E14000810", "E14000530"], Both).Boundaries);
        Assert.Equal("2024", BoundarySets.For(["S14000021", "E14001063"], Both).Boundaries);
        Assert.Equal("2010", BoundarySets.For(["E14000810"], Both).Boundaries);
    }

    [Fact]
    public void A_tie_or_no_seats_at_all_is_the_newest_set()
    {
        Assert.Equal("2024", BoundarySets.For([], Both).Boundaries);
        Assert.Equal("2024", BoundarySets.For(["S14000021"], Both).Boundaries);
        Assert.Equal("2024", BoundarySets.For(["X99999999"], Both).Boundaries);
    }

    [Fact]
    public void The_vendored_maps_have_650_hexes_each_and_the_2024_rows_are_not_positive()
    {
        Assert.Equal([("2010", 650), ("2024", 650)], BoundarySets.All.Select(m => (m.Boundaries, m.Hexes.Count)));
        Assert.All(BoundarySets.All[1].Hexes.Values, hex => Assert.True(hex.R <= 0));
        Assert.Contains(BoundarySets.All[1].Hexes.Values, hex => hex.R < 0 && (hex.R & 1) == 1);
    }
}
