using Dapper;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Imports;

/// <summary>
/// The areas the real 2017 files give (the demo night imports data/uk-general-elections with the ordinary importer),
/// read back over HTTP: the whole country is its own kind, and the metropolitan county West Midlands is not the region.
/// </summary>
public sealed class ImportAreaTests(DemoApiFixture demo) : IClassFixture<DemoApiFixture>
{
    private ApiFixture Api => demo.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record AreaDto(string Id, string Name, string Kind, int Seats);

    private sealed record AreaListDto(List<AreaDto> Areas);

    private sealed record AreaDetailDto(string Id, string Kind, List<string> Constituencies);

    private async Task<List<AreaDto>> AreasAsync() =>
        (await (await Api.Client.GetAsync("/v1/elections/ge2017/areas", Ct)).ReadAsync<AreaListDto>()).Areas;

    [Fact]
    public async Task The_west_midlands_region_has_59_seats_and_the_metropolitan_county_its_own_28()
    {
        var areas = await AreasAsync();

        Assert.Equal(new AreaDto("west-midlands", "West Midlands", "region", 59), areas.Single(a => a.Id == "west-midlands"));
        Assert.Equal(new AreaDto("west-midlands-county", "West Midlands", "county", 28), areas.Single(a => a.Id == "west-midlands-county"));
        var county = await (await Api.Client.GetAsync("/v1/elections/ge2017/areas/west-midlands-county", Ct)).ReadAsync<AreaDetailDto>();
        var region = await (await Api.Client.GetAsync("/v1/elections/ge2017/areas/west-midlands", Ct)).ReadAsync<AreaDetailDto>();
        Assert.Contains("E14000560", county.Constituencies); // Birmingham, Edgbaston
        Assert.DoesNotContain("E14000965", county.Constituencies); // Stafford: the region, not the county
        Assert.Subset(region.Constituencies.ToHashSet(), county.Constituencies.ToHashSet());
        // Where every level names the same seats there is still one area.
        Assert.Equal(73, areas.Single(a => a.Id == "london").Seats);
        Assert.DoesNotContain(areas, a => a.Id is "london-county" or "scotland-region" or "scotland-county" or "northern-ireland-county");
    }

    [Fact]
    public async Task Uk_is_the_country_not_a_nation()
    {
        var areas = await AreasAsync();

        Assert.Equal(new AreaDto("uk", "United Kingdom", "country", 650), areas[0]);
        Assert.Equal(["England", "Northern Ireland", "Scotland", "Wales"], areas.Where(a => a.Kind == "nation").Select(a => a.Name));
        var tally = await (await Api.Client.GetAsync("/v1/elections/ge2017/areas/uk/tally", Ct)).ReadAsync<TallyDto>();
        Assert.Equal("country", tally.Area.Kind);
    }

    private sealed record TallyAreaDto(string Id, string Kind);

    private sealed record TallyDto(TallyAreaDto Area);

    [Fact]
    public async Task A_database_loaded_before_gets_the_county_from_the_demo_load_once()
    {
        // A database from before the county had its own id: no west-midlands-county (its seats were the region's anyway).
        await using (var connection = await Api.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM areas WHERE id = 'west-midlands-county';
                UPDATE data_version SET version = version + 1;
                """, cancellationToken: Ct));
        }

        // Checked in the database: a raw write is not a change the read model hears of, so the API may still serve its copy.
        await using (var connection = await Api.OpenConnectionAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT count(*) FROM areas WHERE id = 'west-midlands-county'", cancellationToken: Ct)));
        }

        await Api.LoadDemoDataAsync();
        var once = await Api.DumpAsync(sequences: true);
        await using (var connection = await Api.OpenConnectionAsync())
        {
            // Every election on the old boundaries (2015, 2017, 2019) has the county again; the 2024 files name no counties.
            Assert.Equal(["ge2015", "ge2017", "ge2019"], await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT election_id FROM areas WHERE id = 'west-midlands-county' ORDER BY election_id", cancellationToken: Ct)));
        }

        Assert.Equal(new AreaDto("west-midlands-county", "West Midlands", "county", 28), (await AreasAsync()).Single(a => a.Id == "west-midlands-county"));
        Assert.Equal(59, (await AreasAsync()).Single(a => a.Id == "west-midlands").Seats);

        await Api.LoadDemoDataAsync();
        Assert.Equal(once, await Api.DumpAsync(sequences: true));
    }

    [Fact]
    public async Task Migration_0015_turns_a_uk_stored_as_a_nation_into_the_country()
    {
        var script = Path.Combine(RepositoryRoot(), "db-migrations", "0015_add_country_kind_for_uk.sql");
        await using var connection = await Api.OpenConnectionAsync();
        // As the importer stored it before: kind nation (still a valid kind).
        await connection.ExecuteAsync(new CommandDefinition("UPDATE areas SET kind = 'nation' WHERE id = 'uk'", cancellationToken: Ct));

        await connection.ExecuteAsync(new CommandDefinition(await File.ReadAllTextAsync(script, Ct), cancellationToken: Ct));

        Assert.Equal(["country"], await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT kind FROM areas WHERE id = 'uk'", cancellationToken: Ct)));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM areas WHERE id <> 'uk' AND kind = 'country'", cancellationToken: Ct)));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "db-migrations")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"db-migrations was not found above {AppContext.BaseDirectory}.");
    }
}
