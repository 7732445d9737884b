using ElectionResults.Api.Features.Constituencies;

namespace ElectionResults.UnitTests.Constituencies;

public sealed class NameSearchTests
{
    [Theory]
    [InlineData("Derby North", "derby", true)]
    [InlineData("Mid Derbyshire", "DERBY", true)]
    [InlineData("Liverpool, West Derby", "derby", true)]
    [InlineData("Liverpool, West Derby", "west derby", true)]
    [InlineData("Liverpool, West Derby", "liverpool west", true)]
    [InlineData("Liverpool, West Derby", "liverpool derby", false)]
    [InlineData("Ynys Môn", "mon", true)]
    [InlineData("Ynys Mon", "Môn", true)]
    [InlineData("King's Lynn", "kings", true)]
    [InlineData("Mansfield", "field", false)]
    [InlineData("Mansfield", "mansfields", false)]
    public void A_search_must_begin_a_word_of_the_name(string name, string search, bool matches) =>
        Assert.Equal(matches, NameSearch.Matches(name, NameSearch.Key(search)));

    [Theory]
    [InlineData("!!", "")]
    [InlineData("  Derby, ", "derby")]
    public void Keys_keep_letters_and_digits_only(string search, string key) => Assert.Equal(key, NameSearch.Key(search));
}
