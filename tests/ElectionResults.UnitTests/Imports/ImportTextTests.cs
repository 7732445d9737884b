using System.Text;
using ElectionResults.Api.Features.Imports;

namespace ElectionResults.UnitTests.Imports;

public class ImportTextTests
{
    [Fact]
    public void Utf8_without_a_byte_order_mark_is_read_as_utf8()
    {
        var (text, encoding) = ImportText.Decode(Encoding.UTF8.GetBytes("Máirtín Ó Muilleoir"));

        Assert.Equal("Máirtín Ó Muilleoir", text);
        Assert.Equal("utf-8", encoding);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_dropped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "ons_id"u8];

        var (text, encoding) = ImportText.Decode(bytes);

        Assert.Equal("ons_id", text);
        Assert.Equal("utf-8", encoding);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_read_as_windows_1252()
    {
        // "Ynys Môn" as the Electoral Commission writes it: ô is the single byte 0xF4.
        byte[] bytes = [.. "Ynys M"u8, 0xF4, .. "n"u8];

        var (text, encoding) = ImportText.Decode(bytes);

        Assert.Equal("Ynys Môn", text);
        Assert.Equal("windows-1252", encoding);
    }

    [Fact]
    public void Windows_1252_is_not_latin1_in_the_0x80_to_0x9F_range()
    {
        byte[] bytes = [0x93, .. "Con"u8, 0x94, 0x20, 0x80];

        Assert.Equal("\u201CCon\u201D \u20AC", ImportText.Decode(bytes).Text);
    }

    [Fact]
    public void The_electoral_commission_fixture_is_windows_1252()
    {
        var (text, encoding) = ImportText.Decode(ImportFixtures.Bytes(ImportFixtures.ElectoralCommission2015));

        Assert.Equal("windows-1252", encoding);
        Assert.Contains("Ynys Môn", text, StringComparison.Ordinal);
    }
}
