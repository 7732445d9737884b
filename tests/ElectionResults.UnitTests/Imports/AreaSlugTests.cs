using ElectionResults.Api.Features.Imports;

namespace ElectionResults.UnitTests.Imports;

public class AreaSlugTests
{
    [Theory]
    [InlineData("East Midlands", "east-midlands")]
    [InlineData("Yorkshire and The Humber", "yorkshire-and-the-humber")]
    [InlineData("Northern Ireland", "northern-ireland")]
    [InlineData("  Gwent and Mid Glamorgan ", "gwent-and-mid-glamorgan")]
    [InlineData("Hereford & Worcester", "hereford-worcester")]
    [InlineData("Ynys Môn", "ynys-mon")]
    [InlineData("King's Lynn", "kings-lynn")]
    [InlineData("???", "")]
    public void Names_become_lower_case_hyphenated_ids(string name, string expected) =>
        Assert.Equal(expected, AreaSlug.From(name));

    [Fact]
    public void Ids_are_at_most_64_characters_and_never_end_in_a_hyphen()
    {
        var slug = AreaSlug.From(new string('a', 63) + " b c");

        Assert.Equal(new string('a', 63), slug);
        Assert.Matches(ElectionResults.Api.Infrastructure.Http.Slugs.Pattern, slug);
    }
}
