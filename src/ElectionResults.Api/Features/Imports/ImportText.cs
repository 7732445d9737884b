using System.Text;

namespace ElectionResults.Api.Features.Imports;

/// <summary>
/// Turns an uploaded file into text: UTF-8 (with or without a byte-order mark) when the bytes are valid
/// UTF-8, otherwise Windows-1252, the encoding of the Electoral Commission's files ("Ynys M\xF4n").
/// Every byte sequence decodes as one or the other, so decoding never fails; garbage is caught by the
/// header and row checks instead.
/// </summary>
public static class ImportText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("The Windows-1252 code page is not available.");

    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (bytes.StartsWith(bom))
        {
            bytes = bytes[bom.Length..];
        }

        try
        {
            return (StrictUtf8.GetString(bytes), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            return (Windows1252.GetString(bytes), "windows-1252");
        }
    }
}
