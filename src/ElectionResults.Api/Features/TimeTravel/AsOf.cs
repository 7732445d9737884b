using System.Globalization;
using System.Text.RegularExpressions;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.TimeTravel;

/// <summary>The <c>asOf</c> query parameter of the election documents: the state as published at an instant.</summary>
public static partial class AsOf
{
    public const string Description =
        "The state as published at this instant (ISO 8601 with an offset, e.g. `2017-06-09T02:00:00+01:00`): per seat, the latest revision whose " +
        "`publishedAt` is at or before it, computed from the revisions. Same shape and ETags as the current document, with `asOf` in the body. " +
        "Once the instant is in the past the answer never changes and is sent with `Cache-Control: public, max-age=31536000, immutable`. " +
        "A value that is not such a time is a 400 naming `asOf`.";

    /// <summary>Cache-Control of a document for an instant in the past: it can never change.</summary>
    public const string Immutable = CachePolicy.Immutable;

    /// <summary>
    /// Parses <c>asOf</c>: null when absent; a problem naming the field when it is not an ISO 8601 time with an offset. A '+'
    /// sent unencoded in a query string arrives as a space, and is read as the '+' it was.
    /// </summary>
    public static bool TryParse(string? value, out DateTimeOffset? asOf, out ValidationProblem? problem)
    {
        asOf = null;
        problem = null;
        if (value is null)
        {
            return true;
        }

        var text = value.Trim().Replace(' ', '+');
        if (text.Length <= 40 && IsoWithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            asOf = parsed.ToUniversalTime();
            return true;
        }

        problem = Problems.Invalid("asOf", "asOf must be an ISO 8601 date and time with an offset, e.g. 2017-06-09T02:00:00+01:00 or 2017-06-09T01:00:00Z.");
        return false;
    }

    /// <summary>The Cache-Control for a document as of <paramref name="asOf"/>: immutable once it is in the past.</summary>
    public static string CacheControlFor(DateTimeOffset asOf, DateTimeOffset now) => CachePolicy.ForInstant(asOf, now);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithOffset();
}
