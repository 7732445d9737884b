using System.Globalization;
using CsvHelper;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>CSV for the spreadsheet people: asked for with <c>Accept: text/csv</c>, written RFC 4180-style by CsvHelper.</summary>
public static class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static bool IsWanted(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("csv", StringComparison.OrdinalIgnoreCase)
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));

    public static RenderedDocument Render(IReadOnlyList<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var name in header)
            {
                csv.WriteField(name);
            }

            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var field in row)
                {
                    csv.WriteField(Format(field));
                }

                csv.NextRecord();
            }
        }

        return new RenderedDocument(System.Text.Encoding.UTF8.GetBytes(text.ToString()), ContentType);
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
