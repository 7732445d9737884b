using ElectionResults.Api.ReadModel;
using Microsoft.Extensions.Primitives;

namespace ElectionResults.UnitTests.ReadModel;

public sealed class ContentCodingTests
{
    public static TheoryData<string?, string?> Headers => new()
    {
        { null, null },
        { "", null },
        { "gzip", "gzip" },
        { "GZip", "gzip" },
        { "gzip, deflate, br", "br" },
        { "gzip, deflate, br, zstd", "br" },
        { " br ;q=0.5 , gzip;q=1", "br" },
        { "br;q=0, gzip", "gzip" },
        { "br; q=0.000, gzip ; Q=0.8", "gzip" },
        { "gzip;q=0", null },
        { "gzip;q=0.0, br;q=0", null },
        { "x-gzip", null },
        { "gzipped, brotli", null },
        { "deflate", null },
        { "identity", null },
        { "*", null },
        { "gzip;q=nonsense", "gzip" },
        { "gzip;level=9", "gzip" },
        { "br;q=0, br;q=0.4", "br" },
        { ",, ,gzip,", "gzip" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Brotli_comes_before_gzip_and_a_coding_counts_only_when_named_with_a_weight_above_zero(string? header, string? expected)
    {
        Assert.Equal(expected, ContentCoding.Choose(header is null ? StringValues.Empty : new StringValues(header)));
    }

    [Fact]
    public void Every_line_of_a_repeated_header_is_read()
    {
        Assert.Equal("br", ContentCoding.Choose(new StringValues(["gzip", "br"])));
        Assert.True(ContentCoding.Accepts(new StringValues(["deflate", "gzip;q=0.1"]), ContentCoding.Gzip));
        Assert.False(ContentCoding.Accepts(new StringValues(["br", "gzip;q=0"]), ContentCoding.Gzip));
    }
}
