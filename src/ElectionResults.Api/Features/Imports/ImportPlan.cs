namespace ElectionResults.Api.Features.Imports;

public sealed record PlannedArea(string Id, string Name, string Kind);

public sealed record PlannedMember(string AreaId, string Code);

public sealed record PlannedParty(string Code, string Name, string Colour);

/// <summary>
/// The areas and parties a checked file implies. Every seat belongs to <c>uk</c> (kind <c>country</c>), its nation,
/// its region and its county, with ids made from the names (<see cref="AreaSlug"/>). A region or county whose name
/// gives a nation's or region's id is that area when the file puts the same seats in both (the Library's region for
/// Scotland is "Scotland"; its county for London seats is "London", for Northern Ireland "Northern Ireland"). When
/// the seats differ (the metropolitan county "West Midlands", 28 seats, inside the region "West Midlands", 59), it is
/// an area of its own whose id ends in its kind: <c>west-midlands-county</c>.
/// </summary>
public sealed record ImportPlan(IReadOnlyList<PlannedArea> Areas, IReadOnlyList<PlannedMember> Members, IReadOnlyList<PlannedParty> Parties)
{
    public const string UnitedKingdom = "uk";

    /// <summary>The kind of the whole-country area <c>uk</c>.</summary>
    public const string CountryKind = "country";

    public static ImportPlan Build(ParsedImport parsed)
    {
        // id → (name, kind, seats); the seats decide whether a level whose name repeats a higher one is that area.
        var areas = new Dictionary<string, (string Name, string Kind, HashSet<string> Seats)>(StringComparer.Ordinal)
        {
            [UnitedKingdom] = ("United Kingdom", CountryKind, parsed.Seats.Select(s => s.Code).ToHashSet(StringComparer.Ordinal)),
        };
        var seatAreas = parsed.Seats.ToDictionary(s => s.Code, _ => new List<string> { UnitedKingdom }, StringComparer.Ordinal);

        void AddLevel(string kind, Func<SeatRow, string> name)
        {
            var named = parsed.Seats.Where(s => name(s).Length > 0 && AreaSlug.From(name(s)).Length > 0)
                .GroupBy(s => AreaSlug.From(name(s)), StringComparer.Ordinal);
            foreach (var group in named)
            {
                var seats = group.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
                var id = group.Key;
                if (areas.TryGetValue(id, out var existing) && !existing.Seats.SetEquals(seats))
                {
                    id = AreaSlug.From($"{group.Key} {kind}");
                }

                areas.TryAdd(id, (name(group.First()), kind, seats));
                foreach (var seat in seats)
                {
                    seatAreas[seat].Add(id);
                }
            }
        }

        AddLevel("nation", s => s.Country);
        AddLevel("region", s => s.Region);
        AddLevel("county", s => s.County);

        var order = new[] { CountryKind, "nation", "region", "county" };
        var planned = areas.OrderBy(a => Array.IndexOf(order, a.Value.Kind))
            .Select(a => new PlannedArea(a.Key, a.Value.Name, a.Value.Kind))
            .ToArray();

        var members = new List<PlannedMember>();
        foreach (var seat in parsed.Seats)
        {
            members.AddRange(seatAreas[seat.Code].Distinct(StringComparer.Ordinal).Select(id => new PlannedMember(id, seat.Code)));
        }

        var parties = parsed.Candidates
            .GroupBy(c => c.PartyCode, StringComparer.Ordinal)
            .Select(g =>
            {
                var (name, colour) = KnownParties.For(g.Key, g.First().PartyName);
                return new PlannedParty(g.Key, name, colour);
            })
            .ToArray();

        return new ImportPlan(planned, members, parties);
    }
}
