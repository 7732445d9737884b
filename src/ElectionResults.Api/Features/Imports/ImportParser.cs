using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using ElectionResults.Api.Infrastructure.Http;

namespace ElectionResults.Api.Features.Imports;

/// <summary>
/// Reads and checks a whole file without touching the database: the header must name the format's
/// columns, every row must be well formed, and the rows of one seat must agree with each other. Every
/// problem is reported with its physical line number (the header is line 1), so that a results desk can
/// fix the file and send it again; nothing is imported while any problem remains.
/// </summary>
public static class ImportParser
{
    public const long MaxVotes = 10_000_000;
    private const int MaxHeaderFields = 200;
    private const int MaxExtraFields = 50;
    private const int MaxFieldLength = 10_000;
    private const int MaxNameLength = 200;
    private const int MaxPartyCodeLength = 60;

    public static ParsedImport Parse(ImportFormat format, ReadOnlySpan<byte> bytes)
    {
        var (text, encoding) = ImportText.Decode(bytes);
        return Parse(format, text, encoding);
    }

    public static ParsedImport Parse(ImportFormat format, string text, string encoding = "utf-8")
    {
        var errors = new ImportErrors();
        var seats = new List<SeatRow>();
        var candidates = new List<CandidateRow>();
        var rows = 0;
        string? badData = null;

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            IgnoreBlankLines = false,
            MaxFieldSize = MaxFieldLength,
            BadDataFound = args => badData ??= args.Field,
        };

        using var parser = new CsvParser(new StringReader(text), config);
        var previousEnd = 0;
        try
        {
            if (!parser.Read() || IsBlank(parser))
            {
                errors.Add(1, $"The file is empty; a {format.Name} file starts with a header line naming its columns.");
                return new ParsedImport(format, encoding, 0, seats, candidates, errors);
            }

            var columns = ReadHeader(format, parser, errors);
            if (badData is not null)
            {
                errors.Add(1, BadQuote(badData));
            }

            if (columns is null || badData is not null)
            {
                return new ParsedImport(format, encoding, 0, seats, candidates, errors);
            }

            var headerCount = parser.Count;
            previousEnd = parser.RawRow;
            var reader = new RowReader(format, columns, errors, seats, candidates);
            while (parser.Read())
            {
                var line = previousEnd + 1;
                previousEnd = parser.RawRow;
                if (parser.Count > headerCount + MaxExtraFields)
                {
                    rows++;
                    errors.Add(line, $"This row has {parser.Count} fields but the header has {headerCount}.");
                    continue;
                }

                // CsvHelper unquotes fields when they are first read, and only then reports bad quoting.
                for (var i = 0; i < parser.Count; i++)
                {
                    _ = parser[i];
                }

                if (badData is not null)
                {
                    rows++;
                    errors.Add(line, BadQuote(badData));
                    badData = null;
                    continue;
                }

                if (IsBlank(parser) || (format.SkipsTotalRow && reader.IsTotalRow(parser)))
                {
                    // A blank line, or the grand-total line that ends the Electoral Commission's file.
                    continue;
                }

                rows++;
                if (parser.Count != headerCount)
                {
                    errors.Add(line, $"This row has {parser.Count} fields but the header has {headerCount}; check for an unquoted comma or a missing field.");
                    continue;
                }

                reader.Read(parser, line);
            }
        }
        catch (CsvHelperException)
        {
            errors.Add(previousEnd + 1, $"The file cannot be read as CSV from here on: a field is longer than {MaxFieldLength:N0} characters or a quote is never closed.");
        }

        if (rows == 0 && !errors.Any)
        {
            errors.Add(1, "The file has a header but no data rows.");
        }

        return new ParsedImport(format, encoding, rows, seats, candidates, errors);
    }

    /// <summary>Finds each column of the format in the header; reports the missing ones on line 1.</summary>
    private static Dictionary<string, int>? ReadHeader(ImportFormat format, CsvParser parser, ImportErrors errors)
    {
        if (parser.Count > MaxHeaderFields)
        {
            errors.Add(1, $"Line 1 has {parser.Count} fields; it is not the header of a {format.Name} file.");
            return null;
        }

        var names = Enumerable.Range(0, parser.Count).Select(i => parser[i].Trim()).ToArray();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var column in format.Columns)
        {
            var index = Array.FindIndex(names, n => string.Equals(n, column.Header, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                columns[column.Field] = index;
            }
            else if (column.Required)
            {
                missing.Add(column.Header);
            }
        }

        if (missing.Count > 0)
        {
            var found = string.Join(", ", names.Where(n => n.Length > 0).Take(20).Select(n => $"'{Shorten(n)}'"));
            errors.Add(1, $"The header lacks the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(m => $"'{m}'"))} of the {format.Name} format (found: {(found.Length == 0 ? "none" : found)}).");
            return null;
        }

        return columns;
    }

    private static bool IsBlank(CsvParser parser)
    {
        for (var i = 0; i < parser.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(parser[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string BadQuote(string field) =>
        $"A quote (\") is out of place near \"{Shorten(field)}\": a field containing quotes must be enclosed in quotes, with each of its quotes doubled.";

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>Checks data rows one at a time, remembering each seat's first row to compare later rows with.</summary>
    private sealed class RowReader(ImportFormat format, Dictionary<string, int> columns, ImportErrors errors, List<SeatRow> seats, List<CandidateRow> candidates)
    {
        private readonly Dictionary<string, SeatRow> _seatsByCode = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Code, string Name, string Party), int> _candidateLines = [];
        private int _errorsBefore;

        public bool IsTotalRow(CsvParser parser) => Field(parser, ImportFormat.Code).Length == 0 && Field(parser, ImportFormat.SeatName).Length == 0;

        public void Read(CsvParser parser, int line)
        {
            _errorsBefore = errors.Count;
            var code = Field(parser, ImportFormat.Code);
            if (!Slugs.ConstituencyCode().IsMatch(code))
            {
                Error(line, ImportFormat.Code, code, "is not an ONS constituency code (a capital letter and eight digits, e.g. E14000530)");
            }

            var name = Name(parser, line, ImportFormat.SeatName, required: true);
            var county = Area(parser, line, ImportFormat.County, required: false);
            var region = RegionName(Area(parser, line, ImportFormat.Region, required: false));
            var country = Area(parser, line, ImportFormat.Country, required: true);
            var electorate = format.Has(ImportFormat.Electorate) ? Count(parser, line, ImportFormat.Electorate, required: false) : null;
            var invalid = format.Has(ImportFormat.InvalidVotes) ? Count(parser, line, ImportFormat.InvalidVotes, required: false) : null;
            var declaredAt = format.Has(ImportFormat.DeclaredAt) ? Time(parser, line) : null;

            CandidateRow? candidate = null;
            if (format.HasCandidates)
            {
                var partyCode = PartyCode(parser, line);
                var partyName = Name(parser, line, ImportFormat.PartyName, required: false);
                var person = $"{Field(parser, ImportFormat.FirstName)} {Field(parser, ImportFormat.Surname)}".Trim();
                if (person.Length == 0)
                {
                    errors.Add(line, $"'{Header(ImportFormat.FirstName)}' and '{Header(ImportFormat.Surname)}' are both empty; a candidate needs a name.");
                }
                else if (person.Length > MaxNameLength)
                {
                    errors.Add(line, $"The candidate's name is longer than {MaxNameLength} characters.");
                }

                var votes = Count(parser, line, ImportFormat.Votes, required: true);
                candidate = new CandidateRow(line, code, person, KnownParties.Code(partyCode, partyName), partyName, votes ?? 0);
            }

            if (errors.Count > _errorsBefore)
            {
                return;
            }

            var seat = new SeatRow(line, code, name, county, region, country, electorate, invalid, declaredAt);
            if (_seatsByCode.TryGetValue(code, out var first))
            {
                if (!format.HasCandidates)
                {
                    errors.Add(line, $"{code} already appears on line {first.Line}; a constituency file has one row per seat.");
                    return;
                }

                if (!SameSeat(first, seat, line))
                {
                    return;
                }
            }
            else
            {
                _seatsByCode[code] = seat;
                seats.Add(seat);
            }

            if (candidate is not null)
            {
                var key = (code, candidate.Name, candidate.PartyCode);
                if (_candidateLines.TryGetValue(key, out var previous))
                {
                    errors.Add(line, $"'{candidate.Name}' ({candidate.PartyCode}) already stands in {code} on line {previous}; each candidate appears once.");
                    return;
                }

                _candidateLines[key] = line;
                candidates.Add(candidate);
            }
        }

        /// <summary>Every row of a seat names the same constituency, county, region and country as its first row.</summary>
        private bool SameSeat(SeatRow first, SeatRow row, int line)
        {
            (string Field, string First, string This)[] checks =
            [
                (ImportFormat.SeatName, first.Name, row.Name),
                (ImportFormat.County, first.County, row.County),
                (ImportFormat.Region, first.Region, row.Region),
                (ImportFormat.Country, first.Country, row.Country),
            ];
            var consistent = true;
            foreach (var (field, firstValue, value) in checks.Where(c => !string.Equals(c.First, c.This, StringComparison.Ordinal)))
            {
                errors.Add(line, $"'{Header(field)}' is '{Shorten(value)}' here but '{Shorten(firstValue)}' on line {first.Line}, the first row of {row.Code}.");
                consistent = false;
            }

            return consistent;
        }

        private string Field(CsvParser parser, string field) =>
            columns.TryGetValue(field, out var index) && index < parser.Count ? parser[index].Trim() : "";

        private string Header(string field) => format.Columns.First(c => c.Field == field).Header;

        private void Error(int line, string field, string value, string problem) =>
            errors.Add(line, value.Length == 0 ? $"'{Header(field)}' is empty." : $"'{Header(field)}' value '{Shorten(value)}' {problem}.");

        private string Name(CsvParser parser, int line, string field, bool required)
        {
            var value = Field(parser, field);
            if (value.Length == 0 && required)
            {
                Error(line, field, value, "");
            }
            else if (value.Length > MaxNameLength)
            {
                errors.Add(line, $"'{Header(field)}' is longer than {MaxNameLength} characters.");
            }
            else if (value.Any(char.IsControl))
            {
                Error(line, field, value, "contains a control character");
            }

            return value;
        }

        /// <summary>A county, region or country name: it becomes an area id, so it needs a letter or digit.</summary>
        private string Area(CsvParser parser, int line, string field, bool required)
        {
            var value = Name(parser, line, field, required);
            if (value.Length > 0 && AreaSlug.From(value).Length == 0)
            {
                Error(line, field, value, "has no letters or digits to make an area id from");
            }

            return value;
        }

        /// <summary>
        /// One name for one region: the Library's candidate files up to 2019 call the East of England "East", its files since
        /// (the 2019 constituency file, both 2024 files) "East of England". The older name is kept, so the region's id is
        /// `east` in every election and a stored election's areas do not change.
        /// </summary>
        private static string RegionName(string value) => value == "East of England" ? "East" : value;

        private string PartyCode(CsvParser parser, int line)
        {
            var value = Field(parser, ImportFormat.PartyCode);
            if (value.Length == 0 || value.Length > MaxPartyCodeLength || value.Contains('/', StringComparison.Ordinal) || value.Any(char.IsControl))
            {
                Error(line, ImportFormat.PartyCode, value, $"is not a party code (1 to {MaxPartyCodeLength} characters, no '/')");
            }

            return value;
        }

        private long? Count(CsvParser parser, int line, string field, bool required)
        {
            var value = Field(parser, field);
            if (value.Length == 0 && !required)
            {
                return null;
            }

            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= MaxVotes)
            {
                return number;
            }

            Error(line, field, value, $"is not a whole number from 0 to {MaxVotes:N0}");
            return null;
        }

        private DateTimeOffset? Time(CsvParser parser, int line)
        {
            var value = Field(parser, ImportFormat.DeclaredAt);
            if (value.Length == 0)
            {
                return null;
            }

            if (UkTime.TryParse(value, out var at, format.DayFirstTimes))
            {
                return at;
            }

            Error(line, ImportFormat.DeclaredAt, value, $"is not a date and time ({(format.DayFirstTimes ? UkTime.AcceptedDayFirst : UkTime.Accepted)})");
            return null;
        }
    }
}
