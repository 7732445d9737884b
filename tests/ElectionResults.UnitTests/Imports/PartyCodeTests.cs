using ElectionResults.Api.Features.Imports;

namespace ElectionResults.UnitTests.Imports;

public class PartyCodeTests
{
    [Theory]
    [InlineData("Con", "Conservative", "Con")]
    [InlineData("Lab", "Labour and Co-operative", "Lab")]
    [InlineData("Green", "Green", "Green")]                  // a known code that is also the name
    [InlineData("Alliance", "Alliance", "Alliance")]
    [InlineData("TUSC", "Trade Unionist and Socialist Coalition", "TUSC")]
    [InlineData("Eng Dem", "English Democrats", "Eng Dem")]
    [InlineData("Lincs Ind", "Linconshire Independents ", "Lincs Ind")]
    [InlineData("Magna Carta", "Magna Carta Party", "Magna Carta")]
    // The name cut to the Library's 10 characters:
    [InlineData("Common Goo", "Common Good Party", "common-good-party")]
    [InlineData("Comm Leagu", "Communist League Election Campaign", "communist-league-election-campaign")]
    [InlineData("Libertaria", "Libertarian Party", "libertarian-party")]
    [InlineData("Wessex Reg", "Wessex Regionalist Party", "wessex-regionalist-party")]
    // The name written as the abbreviation:
    [InlineData("Christian Party, Proclaiming Christ's Lordship", "Christian Party, Proclaiming Christ's Lordship", "christian-party-proclaiming-christs-lordship")]
    [InlineData("Beer, Baccy and Scratchings", "Beer, Baccy and Scratchings", "beer-baccy-and-scratchings")]
    [InlineData("The Justice & Anti-Corruption Party", "The Justice & Anti-Corruption Party", "the-justice-anti-corruption-party")]
    public void Codes_are_the_abbreviation_or_made_from_the_name(string abbreviation, string name, string expected) =>
        Assert.Equal(expected, KnownParties.Code(abbreviation, name));

    /// <summary>The House of Commons Library's files in data/uk-general-elections, found above the test binary.</summary>
    private static string DataFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "data", "uk-general-elections", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"data/uk-general-elections/{name} was not found above {AppContext.BaseDirectory}.");
    }

    [Fact]
    public void The_real_2015_and_2017_files_give_clean_codes_one_per_party_name()
    {
        var parsed = new[] { "hoc-ge2015-results-full.csv", "HoC-GE2017-results-by-candidate.csv" }
            .Select(file => ImportParser.Parse(ImportFormat.HocCandidates, File.ReadAllBytes(DataFile(file))))
            .ToArray();
        Assert.All(parsed, p => Assert.Empty(p.Errors.Sorted()));
        var candidates = parsed.SelectMany(p => p.Candidates).ToArray();

        var codes = candidates.Select(c => c.PartyCode).Distinct(StringComparer.Ordinal).ToArray();
        Assert.All(codes, code =>
        {
            Assert.DoesNotContain(',', code);
            Assert.InRange(code.Length, 1, KnownParties.MaxMadeCodeLength);
            Assert.Equal(code, code.Trim());
        });
        Assert.DoesNotContain("Common Goo", codes);
        Assert.DoesNotContain("Comm Leagu", codes);
        Assert.Contains("common-good-party", codes);

        // Stable: every party name has one code in both files, and every code but Labour's (Labour and Co-operative) one name.
        Assert.All(candidates.GroupBy(c => c.PartyName.Trim(), StringComparer.Ordinal), g => Assert.Single(g.Select(c => c.PartyCode).Distinct()));
        Assert.All(
            candidates.Where(c => c.PartyCode != "Lab").GroupBy(c => c.PartyCode, StringComparer.Ordinal),
            g => Assert.Single(g.Select(c => c.PartyName.Trim()).Distinct()));
        Assert.Equal(
            "communist-league-election-campaign",
            Assert.Single(candidates.Where(c => c.PartyName == "Communist League Election Campaign").Select(c => c.PartyCode).Distinct()));
    }
}
