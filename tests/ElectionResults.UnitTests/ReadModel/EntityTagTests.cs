using System.Text;
using ElectionResults.Api.ReadModel;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ElectionResults.UnitTests.ReadModel;

public sealed class EntityTagTests
{
    private static readonly EntityTag Current = new("Gg5YSsiBbMj8xd4UNwA03L3X");

    private static bool NoneMatch(params string[] header) => EntityTag.AnyMatches(new StringValues(header), Current, EntityTagComparison.Weak);

    private static bool IfMatch(params string[] header) => EntityTag.AnyMatches(new StringValues(header), Current, EntityTagComparison.Strong);

    [Fact]
    public void A_tag_is_written_quoted_and_weak_ones_with_their_prefix()
    {
        Assert.Equal("\"abc\"", new EntityTag("abc").ToString());
        Assert.Equal("W/\"abc\"", new EntityTag("abc", isWeak: true).ToString());
        Assert.Equal("\"abc-gz\"", new EntityTag("abc").WithCoding(EntityTag.GzipCoding).ToString());
        Assert.Equal("\"abc-br\"", new EntityTag("abc").WithCoding(EntityTag.BrotliCoding).ToString());
        Assert.Throws<ArgumentException>(() => new EntityTag("a\"b"));
    }

    [Fact]
    public void The_tag_of_content_is_a_strong_hash_of_the_bytes()
    {
        var tag = EntityTag.ForContent(Encoding.UTF8.GetBytes("{\"a\":1}"));
        Assert.False(tag.IsWeak);
        Assert.Equal(24, tag.Opaque.Length);
        Assert.Equal(tag, EntityTag.ForContent(Encoding.UTF8.GetBytes("{\"a\":1}")));
        Assert.NotEqual(tag, EntityTag.ForContent(Encoding.UTF8.GetBytes("{\"a\":2}")));
        Assert.DoesNotContain('+', tag.Opaque);
        Assert.DoesNotContain('/', tag.Opaque);
    }

    [Theory]
    [InlineData("\"abc\"", "abc", false)]
    [InlineData("  W/\"abc\" ", "abc", true)]
    [InlineData("\"\"", "", false)]
    public void Tags_parse(string text, string opaque, bool weak)
    {
        Assert.True(EntityTag.TryParse(text, out var tag));
        Assert.Equal(new EntityTag(opaque, weak), tag);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("\"abc")]
    [InlineData("w/\"abc\"")]
    [InlineData("\"abc\", \"def\"")]
    [InlineData("*")]
    [InlineData("")]
    public void Anything_else_is_not_a_tag(string text) => Assert.False(EntityTag.TryParse(text, out _));

    [Fact]
    public void Strong_comparison_needs_two_strong_tags_and_weak_comparison_does_not()
    {
        var strong = new EntityTag("abc");
        var weak = new EntityTag("abc", isWeak: true);
        Assert.True(strong.Matches(strong, EntityTagComparison.Strong));
        Assert.False(weak.Matches(strong, EntityTagComparison.Strong));
        Assert.False(strong.Matches(weak, EntityTagComparison.Strong));
        Assert.False(weak.Matches(weak, EntityTagComparison.Strong));
        Assert.True(weak.Matches(strong, EntityTagComparison.Weak));
        Assert.True(weak.Matches(weak, EntityTagComparison.Weak));
        Assert.False(strong.Matches(new EntityTag("abd"), EntityTagComparison.Weak));
        Assert.False(strong.Matches(new EntityTag("ABC"), EntityTagComparison.Weak));
    }

    [Fact]
    public void A_coded_tag_names_the_same_content_as_the_plain_one_in_both_comparisons()
    {
        var plain = new EntityTag("abc");
        foreach (var comparison in new[] { EntityTagComparison.Strong, EntityTagComparison.Weak })
        {
            Assert.True(plain.WithCoding(EntityTag.GzipCoding).Matches(plain, comparison));
            Assert.True(plain.Matches(plain.WithCoding(EntityTag.BrotliCoding), comparison));
            Assert.True(plain.WithCoding(EntityTag.GzipCoding).Matches(plain.WithCoding(EntityTag.BrotliCoding), comparison));
            Assert.False(new EntityTag("abc-zz").Matches(plain, comparison));
            Assert.False(new EntityTag("abd-gz").Matches(plain, comparison));
        }
    }

    [Fact]
    public void If_none_match_finds_the_tag_in_lists_and_in_repeated_headers()
    {
        Assert.True(NoneMatch("\"Gg5YSsiBbMj8xd4UNwA03L3X\""));
        Assert.True(NoneMatch("W/\"Gg5YSsiBbMj8xd4UNwA03L3X\""));
        Assert.True(NoneMatch("\"Gg5YSsiBbMj8xd4UNwA03L3X-gz\""));
        Assert.True(NoneMatch("\"other\", \"Gg5YSsiBbMj8xd4UNwA03L3X-br\""));
        Assert.True(NoneMatch("\"other\",W/\"Gg5YSsiBbMj8xd4UNwA03L3X\""));
        Assert.True(NoneMatch("\"other\"", "\"Gg5YSsiBbMj8xd4UNwA03L3X\""));
        Assert.True(NoneMatch("\"a,b\", \"Gg5YSsiBbMj8xd4UNwA03L3X\""));
        Assert.False(NoneMatch("\"other\", \"Gg5YSsiBbMj8xd4UNwA03L3\""));
        Assert.False(NoneMatch("Gg5YSsiBbMj8xd4UNwA03L3X"));
        Assert.False(NoneMatch("garbage, \"Gg5YSsiBbMj8xd4UNwA03L3X\""));
        Assert.False(NoneMatch());
        Assert.False(NoneMatch(""));
    }

    [Fact]
    public void A_star_matches_any_current_representation()
    {
        Assert.True(NoneMatch("*"));
        Assert.True(NoneMatch(" * "));
        Assert.True(IfMatch("*"));
        Assert.False(NoneMatch("*x"));
    }

    [Fact]
    public void If_match_is_strong_and_takes_coded_tags()
    {
        Assert.True(IfMatch("\"Gg5YSsiBbMj8xd4UNwA03L3X\""));
        Assert.True(IfMatch("\"Gg5YSsiBbMj8xd4UNwA03L3X-gz\""));
        Assert.True(IfMatch("\"stale\", \"Gg5YSsiBbMj8xd4UNwA03L3X-br\""));
        Assert.False(IfMatch("W/\"Gg5YSsiBbMj8xd4UNwA03L3X\""));
        Assert.False(IfMatch("\"stale\""));
    }

    [Fact]
    public void The_declarations_if_match_check_uses_the_same_comparison()
    {
        static IReadOnlyList<EntityTagHeaderValue> Sent(string header) => [.. EntityTagHeaderValue.ParseList([header])];

        Assert.True(ETags.Matches(Sent("\"stale\", \"Gg5YSsiBbMj8xd4UNwA03L3X-gz\""), Current.ToString()));
        Assert.True(ETags.Matches([EntityTagHeaderValue.Any], Current.ToString()));
        Assert.False(ETags.Matches(Sent("W/\"Gg5YSsiBbMj8xd4UNwA03L3X\""), Current.ToString()));
        Assert.False(ETags.Matches(Sent("\"stale\""), Current.ToString()));
    }
}
