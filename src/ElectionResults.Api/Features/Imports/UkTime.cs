using System.Globalization;

namespace ElectionResults.Api.Features.Imports;

/// <summary>
/// The Library's declaration times are UK wall-clock times with no offset ("2017-06-09 02:41:00"; day first,
/// "13/12/2019 02:30", in its files since 2019).
/// British Summer Time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
/// of October (the rule since 1996); the rule is applied here rather than read from the host's time-zone
/// database, which a slim container may lack.
/// </summary>
public static class UkTime
{
    private static readonly string[] LocalTimeFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"];
    private static readonly string[] DayFirstTimeFormats = ["dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss"];
    private static readonly string[] OffsetTimeFormats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd HH:mm:ss'Z'"];

    /// <summary>What the import files' time columns accept: UK wall-clock time (yyyy-MM-dd HH:mm:ss) or ISO 8601 with an offset.</summary>
    public const string Accepted = "yyyy-MM-dd HH:mm:ss, UK time, or ISO 8601 with an offset";

    /// <summary>What the Library's files since 2019 write: day first.</summary>
    public const string AcceptedDayFirst = "dd/MM/yyyy HH:mm, UK time";

    /// <summary>
    /// Reads a time column of an import file: a UK wall-clock time, or a time with its offset (see <see cref="Accepted"/>);
    /// with <paramref name="dayFirst"/>, the day-first form of the Library's files since 2019 instead (a file is one or the other,
    /// so that 01/02/2019 can never be read both ways).
    /// </summary>
    public static bool TryParse(string value, out DateTimeOffset at, bool dayFirst = false)
    {
        if (dayFirst)
        {
            at = DateTime.TryParseExact(value, DayFirstTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dayFirstLocal) ? FromLocal(dayFirstLocal) : default;
            return at != default;
        }

        if (DateTime.TryParseExact(value, LocalTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            at = FromLocal(local);
            return true;
        }

        return DateTimeOffset.TryParseExact(value, OffsetTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    public static DateTimeOffset FromLocal(DateTime local)
    {
        var year = local.Year;
        var summerStarts = LastSunday(year, 3).AddHours(1); // 01:00 GMT, when clocks go to 02:00 BST
        var summerEnds = LastSunday(year, 10).AddHours(1);  // 01:00 GMT = 02:00 BST, when clocks go back to 01:00
        // A local time in the hour that repeats in October is read as the first (summer) one.
        var asGmt = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var inSummer = asGmt >= summerStarts.AddHours(1) && asGmt < summerEnds.AddHours(1);
        return new DateTimeOffset(asGmt, inSummer ? TimeSpan.FromHours(1) : TimeSpan.Zero);
    }

    /// <summary>The UK wall-clock time of an instant (GMT, or BST while summer time runs).</summary>
    public static DateTime ToLocal(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var summerStarts = LastSunday(utc.Year, 3).AddHours(1); // 01:00 GMT
        var summerEnds = LastSunday(utc.Year, 10).AddHours(1);  // 01:00 GMT
        var asUtc = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);
        return asUtc >= summerStarts && asUtc < summerEnds ? asUtc.AddHours(1) : asUtc;
    }

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Unspecified);
        return last.AddDays(-(int)last.DayOfWeek);
    }
}
