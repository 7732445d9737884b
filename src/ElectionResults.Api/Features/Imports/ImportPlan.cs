namespace ElectionResults.Api.Features.Imports;

public sealed record PlannedArea(string Id, string Name, string Kind);

public sealed record PlannedMember(string AreaId, string Code);

public sealed record PlannedParty(string Code, string Name, string Colour);

/// <summary>
/// The areas and parties a checked file implies. Every seat belongs to <c>uk</c>, its nation, its
/// region and its county, with ids made from the names (<see cref="AreaSlug"/>). A region or county
/// whose id is already a nation's or region's (the Library's region for Scotland is "Scotland"; its county
/// for London seats is "London", for Northern Ireland "Northern Ireland", for the West Midlands
/// metropolitan county "West Midlands") is that area, not a second one.
/// </summary>
public sealed record ImportPlan(IReadOnlyList<PlannedArea> Areas, IReadOnlyList<PlannedMember> Members, IReadOnlyList<PlannedParty> Parties)
{
    public const string UnitedKingdom = "uk";

    public static ImportPlan Build(ParsedImport parsed)
    {
        var nations = new Dictionary<string, string>(StringComparer.Ordinal) { [UnitedKingdom] = "United Kingdom" };
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        var counties = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var seat in parsed.Seats)
        {
            nations.TryAdd(AreaSlug.From(seat.Country), seat.Country);
        }

        foreach (var seat in parsed.Seats.Where(s => s.Region.Length > 0))
        {
            var id = AreaSlug.From(seat.Region);
            if (!nations.ContainsKey(id))
            {
                regions.TryAdd(id, seat.Region);
            }
        }

        foreach (var seat in parsed.Seats.Where(s => s.County.Length > 0))
        {
            var id = AreaSlug.From(seat.County);
            if (!nations.ContainsKey(id) && !regions.ContainsKey(id))
            {
                counties.TryAdd(id, seat.County);
            }
        }

        var areas = nations.Select(a => new PlannedArea(a.Key, a.Value, "nation"))
            .Concat(regions.Select(a => new PlannedArea(a.Key, a.Value, "region")))
            .Concat(counties.Select(a => new PlannedArea(a.Key, a.Value, "county")))
            .ToArray();

        var members = new List<PlannedMember>();
        foreach (var seat in parsed.Seats)
        {
            var ids = new[] { UnitedKingdom, AreaSlug.From(seat.Country), AreaSlug.From(seat.Region), AreaSlug.From(seat.County) }
                .Where(id => id.Length > 0)
                .Distinct(StringComparer.Ordinal);
            members.AddRange(ids.Select(id => new PlannedMember(id, seat.Code)));
        }

        var parties = parsed.Candidates
            .GroupBy(c => c.PartyCode, StringComparer.Ordinal)
            .Select(g =>
            {
                var (name, colour) = KnownParties.For(g.Key, g.First().PartyName);
                return new PlannedParty(g.Key, name, colour);
            })
            .ToArray();

        return new ImportPlan(areas, members, parties);
    }
}
