using System.Globalization;
using CsvHelper;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// CSV for the spreadsheet people: asked for with <c>Accept: text/csv</c> or <c>?format=csv</c> (spreadsheets' "from web"
/// imports cannot set headers), written RFC 4180-style by CsvHelper.
/// </summary>
public static class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>The query parameter that asks for a form without headers.</summary>
    public const string FormatParameter = "format";

    /// <summary>How <c>format</c> is described wherever it is accepted.</summary>
    public const string FormatDescription = "`csv` for the CSV form (the same as `Accept: text/csv`, for spreadsheets' \"from web\" imports, which cannot set headers) or `json` (the default).";

    public static bool IsWanted(HttpRequest request) =>
        string.Equals(request.Query[FormatParameter].ToString(), "csv", StringComparison.OrdinalIgnoreCase)
        || (!string.Equals(request.Query[FormatParameter].ToString(), "json", StringComparison.OrdinalIgnoreCase)
            && request.Headers.Accept.ToString().Contains("csv", StringComparison.OrdinalIgnoreCase)
            && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));

    /// <summary>True when <c>format</c> is absent, <c>csv</c> or <c>json</c>.</summary>
    public static bool IsKnownFormat(string? format) =>
        format is null || format.Equals("csv", StringComparison.OrdinalIgnoreCase) || format.Equals("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when the client asks for CSV only: <c>?format=csv</c>, or an Accept that lists <c>text/csv</c> and no JSON type
    /// (nor <c>*/*</c> or <c>application/*</c>). A document without a CSV form answers it with 406.
    /// </summary>
    public static bool IsDemandedOnly(HttpRequest request)
    {
        if (string.Equals(request.Query[FormatParameter].ToString(), "csv", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IsWanted(request))
        {
            return false;
        }

        return !request.GetTypedHeaders().Accept.Any(a =>
            a.Quality is not 0 && (a.MediaType.Equals("*/*", StringComparison.Ordinal) || a.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
            || a.MediaType.Value?.EndsWith("json", StringComparison.OrdinalIgnoreCase) == true));
    }

    public static RenderedDocument Render(IReadOnlyList<string> header, IEnumerable<IEnumerable<object?>> rows) =>
        FromRows(Row(header), rows.Select(Row));

    /// <summary>One record, as its line of the CSV (RFC 4180 quoting, CRLF): documents built from kept rows join these.</summary>
    public static byte[] Row(IEnumerable<object?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var field in fields)
            {
                csv.WriteField(Format(field));
            }

            csv.NextRecord();
        }

        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The CSV document of a header line and record lines (<see cref="Row"/>), joined without rendering any again.</summary>
    public static RenderedDocument FromRows(byte[] header, IEnumerable<byte[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new RenderedDocument(ListBlocks.Join(header, [.. rows], [], []), ContentType);
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
