using System.Text.Json;

namespace ElectionResults.Api.Features.HexMaps;

/// <summary>One hex: the constituency's name, and its column and row in the map's <c>odd-r</c> layout.</summary>
/// <param name="Name">The constituency's name as the map writes it.</param>
/// <param name="Q">Column. With `odd-r`, a hex on an odd row (`r &amp; 1`, negative rows included) sits half a hex to the right.</param>
/// <param name="R">Row, growing northwards; the 2024 map's rows are all zero or negative.</param>
public sealed record HexResponse(string Name, int Q, int R);

/// <summary>The hex map of an election's constituencies (Open Innovations' layouts, MIT licence).</summary>
/// <param name="ElectionId">The election whose seats the map shows.</param>
/// <param name="Boundaries">The boundary set the election's constituencies belong to: `2010` (the 2010–2023 constituencies, used at the 2010, 2015, 2017 and 2019 elections) or `2024` (those first used on 4 July 2024).</param>
/// <param name="Layout">`odd-r`: odd rows are shifted right by half a hex.</param>
/// <param name="Attribution">The credit to show with the map.</param>
/// <param name="Hexes">One hex per constituency of the boundary set, keyed by ONS code.</param>
public sealed record HexMapResponse(string ElectionId, string Boundaries, string Layout, string Attribution, IReadOnlyDictionary<string, HexResponse> Hexes);

/// <summary>A boundary set's hex map, read once from the vendored HexJSON file embedded in the binary.</summary>
public sealed record HexMap(string Boundaries, string Layout, IReadOnlyDictionary<string, HexResponse> Hexes);

/// <summary>
/// The two boundary sets and their hex maps (data/hexmaps). An election belongs to the set that holds the most of its
/// constituencies; one with no constituencies yet belongs to the newest, 2024, where the next election is fought.
/// </summary>
public static class BoundarySets
{
    public const string Attribution = "Hex map layout: Open Innovations (MIT licence)";

    private static readonly Lazy<IReadOnlyList<HexMap>> Sets = new(() => [Load("2010", "constituencies.hexjson"), Load("2024", "constituencies-2024.hexjson")]);

    /// <summary>The boundary sets, oldest first.</summary>
    public static IReadOnlyList<HexMap> All => Sets.Value;

    /// <summary>The map of the set that holds the most of <paramref name="codes"/>; on a tie (none at all) the newest.</summary>
    public static HexMap For(IEnumerable<string> codes, IReadOnlyList<HexMap> maps)
    {
        var list = codes as IReadOnlyCollection<string> ?? codes.ToArray();
        return maps.Select((map, order) => (map, order, held: list.Count(map.Hexes.ContainsKey)))
            .OrderByDescending(m => m.held).ThenByDescending(m => m.order)
            .First().map;
    }

    private static HexMap Load(string boundaries, string file)
    {
        var name = $"pages/{file}";   // also served under /assets/
        using var stream = typeof(BoundarySets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var hexes = root.GetProperty("hexes").EnumerateObject().ToDictionary(
            hex => hex.Name,
            hex => new HexResponse(hex.Value.GetProperty("n").GetString()!, hex.Value.GetProperty("q").GetInt32(), hex.Value.GetProperty("r").GetInt32()),
            StringComparer.Ordinal);
        return new HexMap(boundaries, root.GetProperty("layout").GetString()!, hexes);
    }
}
