using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Dapper;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.Http;

namespace ElectionResults.Api.Features.Imports;

/// <summary>One row of an <c>expected-times</c> file.</summary>
public sealed record ExpectedTimeRow(int Line, string Code, DateTimeOffset? ExpectedAt);

/// <summary>
/// Imports expected declaration times (<see cref="ImportFormat.ExpectedTimes"/>). Like the results imports it is all or
/// nothing: any bad row, or a seat that is not part of the election, is a 422 naming the lines, and nothing is written;
/// importing the same file again writes nothing and leaves the data version as it was.
/// </summary>
public sealed class ExpectedTimesImport(WriteTransactions writes)
{
    public static (IReadOnlyList<ExpectedTimeRow> Rows, ImportErrors Errors, string Encoding) Parse(ReadOnlySpan<byte> bytes)
    {
        var (text, encoding) = ImportText.Decode(bytes);
        var errors = new ImportErrors();
        var rows = new List<ExpectedTimeRow>();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { IgnoreBlankLines = true, MaxFieldSize = 1000, BadDataFound = null };
        using var parser = new CsvParser(new StringReader(text), config);
        try
        {
            if (!parser.Read())
            {
                errors.Add(1, "The file is empty; an expected-times file starts with the header ons_id,expected_declaration_time.");
                return (rows, errors, encoding);
            }

            var header = Enumerable.Range(0, parser.Count).Select(i => parser[i].Trim().ToLowerInvariant()).ToList();
            var codeColumn = header.IndexOf("ons_id");
            var timeColumn = header.IndexOf("expected_declaration_time");
            if (codeColumn < 0 || timeColumn < 0)
            {
                errors.Add(1, "The header must name the columns ons_id and expected_declaration_time.");
                return (rows, errors, encoding);
            }

            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var previousEnd = parser.RawRow;
            while (parser.Read())
            {
                var line = previousEnd + 1;
                previousEnd = parser.RawRow;
                if (parser.Count <= Math.Max(codeColumn, timeColumn))
                {
                    errors.Add(line, $"This row has {parser.Count} fields but the header has {header.Count}.");
                    continue;
                }

                var code = parser[codeColumn].Trim();
                var value = parser[timeColumn].Trim();
                if (!Slugs.ConstituencyCode().IsMatch(code))
                {
                    errors.Add(line, $"'ons_id' '{code}' is not an ONS constituency code (a capital letter and eight digits, e.g. E14000530).");
                    continue;
                }

                if (seen.TryGetValue(code, out var first))
                {
                    errors.Add(line, $"{code} is listed twice (first on line {first}).");
                    continue;
                }

                seen[code] = line;
                DateTimeOffset? at = null;
                if (value.Length > 0)
                {
                    if (!UkTime.TryParse(value, out var parsed))
                    {
                        errors.Add(line, $"'expected_declaration_time' '{value}' is not a date and time ({UkTime.Accepted}).");
                        continue;
                    }

                    at = parsed;
                }

                rows.Add(new ExpectedTimeRow(line, code, at));
            }
        }
        catch (CsvHelperException)
        {
            errors.Add(1, "The file cannot be read as CSV.");
        }

        if (rows.Count == 0 && !errors.Any)
        {
            errors.Add(1, "The file has a header but no data rows.");
        }

        return (rows, errors, encoding);
    }

    public async Task<ImportOutcome> ImportAsync(string electionId, ReadOnlyMemory<byte> file, string? fileName, CancellationToken ct)
    {
        const string unknownSeats = """
            SELECT r.line FROM unnest(@lines, @codes) AS r (line, code)
            WHERE NOT EXISTS (SELECT 1 FROM election_constituencies WHERE election_id = @electionId AND constituency_code = r.code)
            ORDER BY r.line
            """;
        const string update = """
            UPDATE election_constituencies ec SET expected_declaration_at = r.at
            FROM unnest(@codes, @times) AS r (code, at)
            WHERE ec.election_id = @electionId AND ec.constituency_code = r.code AND ec.expected_declaration_at IS DISTINCT FROM r.at
            """;

        var (rows, errors, encoding) = Parse(file.Span);
        if (errors.Any && rows.Count == 0)
        {
            return ImportOutcome.Failed(errors.Sorted(), errors.Count);
        }

        var format = ImportFormat.ExpectedTimes;
        var (source, _) = Importer.Describe(format, fileName);
        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM elections WHERE id = @electionId)", new { electionId }, tx, cancellationToken: ct)))
        {
            return ImportOutcome.Missing;
        }

        var codes = rows.Select(r => r.Code).ToArray();
        var unknown = (await connection.QueryAsync<int>(new CommandDefinition(
            unknownSeats, new { electionId, lines = rows.Select(r => r.Line).ToArray(), codes }, tx, cancellationToken: ct))).ToArray();
        var byLine = rows.ToDictionary(r => r.Line);
        foreach (var line in unknown)
        {
            errors.Add(line, $"{byLine[line].Code} is not a constituency of '{electionId}'; add it first (PUT .../constituencies/{{code}} or a results import).");
        }

        if (errors.Any)
        {
            // Nothing is committed: the transaction rolls back, data version included.
            return ImportOutcome.Failed(errors.Sorted(), errors.Count);
        }

        var times = rows.Select(r => r.ExpectedAt?.UtcDateTime).ToArray();
        var set = await connection.ExecuteAsync(new CommandDefinition(update, new { electionId, codes, times }, tx, cancellationToken: ct));
        if (set > 0)
        {
            await write.CommitAsync(ct);
        }

        return ImportOutcome.Done(new ImportSummary(
            electionId, format.Name, source, encoding, rows.Count, rows.Count, 0, 0, 0, 0, 0, 0, 0, set > 0, ExpectedTimesSet: set));
    }
}
