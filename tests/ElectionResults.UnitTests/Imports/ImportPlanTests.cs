using System.Text;
using ElectionResults.Api.Features.Imports;

namespace ElectionResults.UnitTests.Imports;

public class ImportPlanTests
{
    private static ImportPlan Plan(string fixture, ImportFormat format) =>
        ImportPlan.Build(ImportParser.Parse(format, ImportFixtures.Bytes(fixture)));

    [Fact]
    public void Every_nation_region_and_county_named_becomes_one_area()
    {
        var plan = Plan(ImportFixtures.Candidates2015, ImportFormat.HocCandidates);

        Assert.Equal(
            ["england:nation", "northern-ireland:nation", "scotland:nation", "wales:nation"],
            plan.Areas.Where(a => a.Kind == "nation").Select(a => $"{a.Id}:{a.Kind}").Order(StringComparer.Ordinal));
        // Scotland, Wales and Northern Ireland are their own region in the file: no second area with the same id.
        Assert.Equal(
            ["east-midlands", "london", "south-east", "west-midlands", "yorkshire-and-the-humber"],
            plan.Areas.Where(a => a.Kind == "region").Select(a => a.Id).Order(StringComparer.Ordinal));
        // "London", "Scotland", "Northern Ireland" and (with only Edgbaston in this file) "West Midlands" as counties are
        // the region or nation itself: the same seats.
        Assert.Equal(
            ["buckinghamshire", "derbyshire", "gwynedd", "south-yorkshire"],
            plan.Areas.Where(a => a.Kind == "county").Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.Equal(plan.Areas.Count, plan.Areas.Select(a => a.Id).Distinct().Count());
        // The whole country is no nation: it is the one area of kind "country".
        Assert.Equal(new PlannedArea("uk", "United Kingdom", "country"), Assert.Single(plan.Areas, a => a.Kind == "country"));
        Assert.Contains(new PlannedArea("yorkshire-and-the-humber", "Yorkshire and The Humber", "region"), plan.Areas);
    }

    [Theory]
    [InlineData("E14000662", new[] { "uk", "england", "east-midlands", "derbyshire" })]
    [InlineData("N06000003", new[] { "uk", "northern-ireland" })]
    [InlineData("S14000055", new[] { "uk", "scotland" })]
    [InlineData("W07000041", new[] { "uk", "wales", "gwynedd" })]
    [InlineData("E14000639", new[] { "uk", "england", "london" })]
    [InlineData("E14000560", new[] { "uk", "england", "west-midlands" })]
    public void Every_seat_belongs_to_uk_its_nation_region_and_county(string code, string[] areas)
    {
        var plan = Plan(ImportFixtures.Candidates2015, ImportFormat.HocCandidates);

        Assert.Equal(areas, plan.Members.Where(m => m.Code == code).Select(m => m.AreaId));
    }

    [Fact]
    public void A_county_named_like_its_region_but_with_fewer_seats_is_an_area_of_its_own()
    {
        // Edgbaston (the metropolitan county West Midlands) and a seat of the region outside it, Stafford (Staffordshire).
        var file = Encoding.UTF8.GetString(ImportFixtures.Bytes(ImportFixtures.Constituencies2017)).TrimEnd('\n') + "\n"
            + "E14000965,E12000005,Stafford,Staffordshire,West Midlands,England,County,2017-06-09 03:14:00,Con hold,Con,Lab,"
            + "68445,51924,122,7729,28424,20695,1540,0,1265,0,0,0,0,0,0,0,0,0\n";
        var plan = ImportPlan.Build(ImportParser.Parse(ImportFormat.HocConstituencies, Encoding.UTF8.GetBytes(file)));

        Assert.Contains(new PlannedArea("west-midlands", "West Midlands", "region"), plan.Areas);
        Assert.Contains(new PlannedArea("west-midlands-county", "West Midlands", "county"), plan.Areas);
        Assert.Equal(["E14000560", "E14000965"], plan.Members.Where(m => m.AreaId == "west-midlands").Select(m => m.Code).Order(StringComparer.Ordinal));
        Assert.Equal(["E14000560"], plan.Members.Where(m => m.AreaId == "west-midlands-county").Select(m => m.Code));
        Assert.Equal(["uk", "england", "west-midlands", "west-midlands-county"], plan.Members.Where(m => m.Code == "E14000560").Select(m => m.AreaId));
        // London and Scotland still name the same seats at every level: one area each.
        Assert.DoesNotContain(plan.Areas, a => a.Id is "london-county" or "scotland-region" or "scotland-county");
    }

    [Fact]
    public void The_electoral_commission_file_names_the_same_areas()
    {
        var fromCandidates = Plan(ImportFixtures.Candidates2015, ImportFormat.HocCandidates);
        var fromCommission = Plan(ImportFixtures.ElectoralCommission2015, ImportFormat.EcConstituencies);

        Assert.Equal(fromCandidates.Areas.OrderBy(a => a.Id, StringComparer.Ordinal), fromCommission.Areas.OrderBy(a => a.Id, StringComparer.Ordinal));
        Assert.Empty(fromCommission.Parties);
    }

    [Fact]
    public void Main_parties_get_their_usual_names_and_colours_and_the_rest_grey()
    {
        var parties = Plan(ImportFixtures.Candidates2015, ImportFormat.HocCandidates).Parties.ToDictionary(p => p.Code);

        Assert.Equal(new PlannedParty("Lab", "Labour", "#E4003B"), parties["Lab"]);
        Assert.Equal(new PlannedParty("SF", "Sinn Féin", "#326760"), parties["SF"]);
        Assert.Equal(new PlannedParty("Spk", "Speaker", "#6E6E6E"), parties["Spk"]);
        Assert.Equal(new PlannedParty("Ind", "Independent", "#B0B0B0"), parties["Ind"]);
        Assert.Equal(new PlannedParty("Eng Dem", "English Democrats", "#999999"), parties["Eng Dem"]);
        Assert.Equal(new PlannedParty("CISTAP", "Cannabis is Safer than Alcohol Party", "#999999"), parties["CISTAP"]);
    }
}
