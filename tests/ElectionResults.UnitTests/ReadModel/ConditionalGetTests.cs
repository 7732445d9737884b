using System.Text;
using ElectionResults.Api.ReadModel;
using Microsoft.AspNetCore.Http;

namespace ElectionResults.UnitTests.ReadModel;

public sealed class ConditionalGetTests
{
    private static readonly EntityTag Tag = EntityTag.ForContent(Encoding.UTF8.GetBytes("{\"seats\":650}"));

    private static DefaultHttpContext Get(string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        return context;
    }

    [Fact]
    public void Without_if_none_match_the_validator_and_the_policy_are_sent_and_the_caller_sends_the_body()
    {
        var context = Get();
        Assert.False(ConditionalGet.TryNotModified(context, Tag, CachePolicy.Documents));
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(Tag.ToString(), context.Response.Headers.ETag.ToString());
        Assert.Equal("public, max-age=1", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("Accept, Accept-Encoding", context.Response.Headers.Vary.ToString());
    }

    [Theory]
    [InlineData("gz")]
    [InlineData("br")]
    public void A_matching_if_none_match_is_answered_304_with_the_same_headers_for_any_coding(string coding)
    {
        var context = Get($"\"stale\", {Tag.WithCoding(coding)}");
        context.Response.ContentType = "application/json";
        Assert.True(ConditionalGet.TryNotModified(context, Tag, CachePolicy.Revalidated));
        Assert.Equal(StatusCodes.Status304NotModified, context.Response.StatusCode);
        Assert.Equal(Tag.ToString(), context.Response.Headers.ETag.ToString());
        Assert.Equal("no-cache", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("Accept", context.Response.Headers.Vary.ToString());
        Assert.Null(context.Response.ContentType);
        Assert.Null(context.Response.ContentLength);
    }

    [Fact]
    public void A_weak_tag_or_a_star_in_if_none_match_is_answered_304()
    {
        Assert.True(ConditionalGet.TryNotModified(Get("W/" + Tag), Tag, CachePolicy.Pages));
        Assert.True(ConditionalGet.TryNotModified(Get("*"), Tag, CachePolicy.Pages));
    }

    [Fact]
    public void A_stale_tag_is_not()
    {
        var context = Get("\"stale\"");
        Assert.False(ConditionalGet.TryNotModified(context, Tag, CachePolicy.Pages));
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("no-cache", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("Accept-Encoding", context.Response.Headers.Vary.ToString());
    }

    [Fact]
    public void A_document_of_a_past_instant_keeps_the_policy_but_is_immutable()
    {
        var now = new DateTimeOffset(2017, 6, 9, 6, 0, 0, TimeSpan.Zero);
        var policy = CachePolicy.Documents.WithCacheControl(CachePolicy.ForInstant(now.AddHours(-1), now));
        Assert.Equal(new CachePolicy("public, max-age=31536000, immutable", "Accept, Accept-Encoding", Compressed: true), policy);
        Assert.Equal("public, max-age=1", CachePolicy.ForInstant(now.AddHours(1), now));
        Assert.Equal(CachePolicy.Documents, CachePolicy.Documents.WithCacheControl(null));
    }
}
