using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// Which content coding a client takes, from its <c>Accept-Encoding</c> (RFC 9110 §12.5.3), for the codings the service
/// keeps: brotli before gzip. A coding counts only when the header names it with a weight above zero (<c>gzip;q=0</c>
/// refuses gzip); <c>*</c> and <c>identity</c> leave the plain bytes. Every poll of a document passes here, so the header is
/// read in place, without allocating.
/// </summary>
public static class ContentCoding
{
    public const string Brotli = "br";
    public const string Gzip = "gzip";

    /// <summary>Brotli, else gzip, when the header accepts it; null for the plain bytes.</summary>
    public static string? Choose(StringValues acceptEncoding) =>
        Accepts(acceptEncoding, Brotli) ? Brotli : Accepts(acceptEncoding, Gzip) ? Gzip : null;

    /// <summary>True when an element of the header names <paramref name="coding"/> (any case) with a weight above zero.</summary>
    public static bool Accepts(StringValues acceptEncoding, string coding)
    {
        foreach (var value in acceptEncoding)
        {
            if (value is not null && ListAccepts(value, coding))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ListAccepts(ReadOnlySpan<char> list, string coding)
    {
        foreach (var range in list.Split(','))
        {
            var element = list[range];
            var semicolon = element.IndexOf(';');
            var name = (semicolon < 0 ? element : element[..semicolon]).Trim(" \t");
            if (name.Equals(coding, StringComparison.OrdinalIgnoreCase) && (semicolon < 0 || Weight(element[(semicolon + 1)..]) > 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The <c>q</c> of an element's parameters: 1 when there is none or it cannot be read.</summary>
    private static double Weight(ReadOnlySpan<char> parameters)
    {
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range];
            var equals = parameter.IndexOf('=');
            if (equals > 0 && parameter[..equals].Trim(" \t").Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                return double.TryParse(parameter[(equals + 1)..].Trim(" \t"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var q)
                    ? q
                    : 1;
            }
        }

        return 1;
    }
}
