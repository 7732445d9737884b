using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using Dapper;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.Http;

namespace ElectionResults.Api.Features.Imports;

/// <summary>One line of a seat's notional result: a party, or one independent candidate.</summary>
/// <param name="Line">The file's line (1-based; the file has no header).</param>
/// <param name="Code">The seat's ONS code at this election (a reissued code already replaced).</param>
/// <param name="Label">The estimate's own name for the line (`CONV`, `IND1V`, `Commons Speaker`).</param>
/// <param name="Abbreviation">The party's abbreviation as the file gives it (`Con`, `Brexit Party`, `Independent`).</param>
/// <param name="PartyName">The party's name as the file gives it.</param>
/// <param name="Votes">The estimated votes.</param>
public sealed record NotionalRow(int Line, string Code, string Label, string Abbreviation, string PartyName, long Votes)
{
    /// <summary>The service's party code (`Con`, `Ind`, `Spk`, `Alliance` …), once matched (<see cref="NotionalImport.PartyOf"/>).</summary>
    public string PartyCode { get; init; } = "";
}

/// <summary>
/// Imports an election's notional previous result (<see cref="ImportFormat.Notional"/>): the votes the previous election
/// would have given on this election's boundaries, estimated per seat when boundaries change. The layout is the one the
/// House of Commons Library loads Rallings &amp; Thrasher's 2019-on-2024 estimates in: no header, one row per line of a
/// seat's estimate, 16 columns of which four are read (ONS code, the line's column code, votes, party abbreviation; the
/// party's name too). Its parties are matched with the parties standing at the election (<see cref="PartyOf"/>), so import
/// the election's candidates first.
/// </summary>
/// <remarks>
/// All or nothing like the other imports: a bad row, a seat that is not part of the election, or a line whose estimate
/// differs from the one stored (estimates are published figures and are never rewritten) stops it with nothing written;
/// the same file again writes nothing. The aggregate rows (<c>TOTOTHV</c>, the total of the other candidates, and
/// <c>MAXOTHV</c>, the largest of them) repeat votes already in other rows and are left out. Five Scottish seats were
/// first given their old codes and later new ones by ONS; the estimates use the old codes, the 2024 results the new ones,
/// so those codes are read as the new ones (<see cref="ReissuedCodes"/>).
/// </remarks>
public sealed partial class NotionalImport(WriteTransactions writes)
{
    private const int Columns = 16;
    private const int CodeColumn = 2;
    private const int LabelColumn = 11;
    private const int VotesColumn = 12;
    private const int AbbreviationColumn = 13;
    private const int NameColumn = 14;

    /// <summary>
    /// The five Scottish seats of 2024 that kept their names but whose ONS codes were reissued (the House of Commons Library's
    /// revised constituency ids): old code to new. The old codes also name the different pre-2024 seats of the same names.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ReissuedCodes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["S14000006"] = "S14000107", // Ayr, Carrick and Cumnock
        ["S14000008"] = "S14000108", // Berwickshire, Roxburgh and Selkirk
        ["S14000010"] = "S14000109", // Central Ayrshire
        ["S14000040"] = "S14000110", // Kilmarnock and Loudoun
        ["S14000058"] = "S14000111", // West Aberdeenshire and Kincardine
    };

    /// <summary>The aggregate lines, which repeat other lines' votes.</summary>
    private static readonly HashSet<string> Aggregates = new(StringComparer.Ordinal) { "TOTOTHV", "MAXOTHV" };

    [GeneratedRegex("^IND[0-9]+V$")]
    private static partial Regex IndependentLine();

    [GeneratedRegex("^[A-Za-z0-9 ]{1,40}$")]
    private static partial Regex LineLabel();

    /// <summary>
    /// Lines whose party has another code at this election than the line's column code says: the Brexit Party renamed itself
    /// Reform UK in 2021, and the others are the 2024 file's codes for the same parties. The House of Commons Library measures
    /// these parties' 2024 share changes against these lines.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Renamed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BRXV"] = "RUK",
        ["APNIV"] = "Alliance",
        ["GRNV"] = "Green",
        ["PBPV"] = "PBPA",
        ["YPPV"] = "SG",
        ["SOCV"] = "SPGB",
        ["COMLV"] = "Comm L",
    };

    /// <summary>
    /// The party of a line, matched with the parties standing at this election (<paramref name="standing"/>): each independent's
    /// line is Ind and the Speaker's Spk; a renamed party as <see cref="Renamed"/> says; else the party whose code is the column
    /// code without its final V, ignoring case (CONV is Con, LIBV Lib, AONTV AONT); a party not standing now is read from the
    /// file's abbreviation and name as the Library's results files are (<see cref="KnownParties.Code"/>).
    /// </summary>
    public static string PartyOf(NotionalRow row, IReadOnlyCollection<string> standing)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(standing);
        if (IndependentLine().IsMatch(row.Label))
        {
            return "Ind";
        }

        if (row.Label == "Commons Speaker")
        {
            return "Spk";
        }

        if (Renamed.TryGetValue(row.Label, out var renamed))
        {
            return renamed;
        }

        var stem = row.Label.EndsWith('V') ? row.Label[..^1] : row.Label;
        return standing.FirstOrDefault(code => string.Equals(code, stem, StringComparison.OrdinalIgnoreCase))
            ?? KnownParties.Code(row.Abbreviation, row.PartyName);
    }

    public static (IReadOnlyList<NotionalRow> Rows, ImportErrors Errors, string Encoding) Parse(ReadOnlySpan<byte> bytes)
    {
        var (text, encoding) = ImportText.Decode(bytes);
        var errors = new ImportErrors();
        var rows = new List<NotionalRow>();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false, IgnoreBlankLines = true, MaxFieldSize = 1000, BadDataFound = null,
        };
        using var parser = new CsvParser(new StringReader(text), config);
        var seen = new Dictionary<(string, string), int>();
        try
        {
            var previousEnd = 0;
            while (parser.Read())
            {
                var line = previousEnd + 1;
                previousEnd = parser.RawRow;
                if (parser.Count != Columns)
                {
                    errors.Add(line, $"This row has {parser.Count} fields; a notional results file has {Columns} and no header.");
                    continue;
                }

                var label = parser[LabelColumn].Trim();
                if (Aggregates.Contains(label))
                {
                    continue;
                }

                var code = parser[CodeColumn].Trim();
                if (!Slugs.ConstituencyCode().IsMatch(code))
                {
                    errors.Add(line, $"Column 3 '{code}' is not an ONS constituency code (a capital letter and eight digits, e.g. E14001063).");
                    continue;
                }

                if (!LineLabel().IsMatch(label))
                {
                    errors.Add(line, $"Column 12 '{label}' is not a line of an estimate (a column code such as CONV or IND1V).");
                    continue;
                }

                if (!long.TryParse(parser[VotesColumn].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var votes))
                {
                    errors.Add(line, $"Column 13 '{parser[VotesColumn]}' is not a number of votes.");
                    continue;
                }

                code = ReissuedCodes.GetValueOrDefault(code, code);
                if (seen.TryGetValue((code, label), out var first))
                {
                    errors.Add(line, $"{code} has the line {label} twice (first on line {first}).");
                    continue;
                }

                seen[(code, label)] = line;
                var name = parser[NameColumn].Trim();
                rows.Add(new NotionalRow(line, code, label, parser[AbbreviationColumn].Trim(), name, votes));
            }
        }
        catch (CsvHelperException)
        {
            errors.Add(1, "The file cannot be read as CSV.");
        }

        if (rows.Count == 0 && !errors.Any)
        {
            errors.Add(1, "The file has no rows of a notional result.");
        }

        return (rows, errors, encoding);
    }

    public async Task<ImportOutcome> ImportAsync(string electionId, ReadOnlyMemory<byte> file, string? fileName, CancellationToken ct)
    {
        const string election = "SELECT previous_election_id FROM elections WHERE id = @electionId FOR UPDATE";
        const string unknownSeats = """
            SELECT DISTINCT ON (r.code) r.line FROM unnest(@lines, @codes) AS r (line, code)
            WHERE NOT EXISTS (SELECT 1 FROM election_constituencies WHERE election_id = @electionId AND constituency_code = r.code)
            ORDER BY r.code, r.line
            """;
        const string differing = """
            SELECT r.line, n.votes FROM unnest(@lines, @codes, @labels, @parties, @votes) AS r (line, code, label, party, votes)
            JOIN notional_results n ON n.election_id = @electionId AND n.constituency_code = r.code AND n.line = r.label
            WHERE n.votes <> r.votes OR n.party_code <> r.party
            ORDER BY r.line
            """;
        const string insertParties = """
            INSERT INTO parties (code, name, colour)
            SELECT code, name, colour FROM unnest(@codes, @names, @colours) AS p (code, name, colour)
            ON CONFLICT (code) DO NOTHING
            """;
        const string insertLines = """
            INSERT INTO notional_results (election_id, constituency_code, line, party_code, votes, source)
            SELECT @electionId, r.code, r.label, r.party, r.votes, @source
            FROM unnest(@codes, @labels, @parties, @votes) AS r (code, label, party, votes)
            ON CONFLICT (election_id, constituency_code, line) DO NOTHING
            """;

        var (parsed, errors, encoding) = Parse(file.Span);
        if (errors.Any)
        {
            return ImportOutcome.Failed(errors.Sorted(), errors.Count);
        }

        var rows = parsed;
        var format = ImportFormat.Notional;
        var (source, _) = Importer.Describe(format, fileName);
        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        var previous = await connection.QueryAsync<string?>(new CommandDefinition(election, new { electionId }, tx, cancellationToken: ct));
        if (previous.ToArray() is not [var previousElectionId])
        {
            return ImportOutcome.Missing;
        }

        if (previousElectionId is null)
        {
            errors.Add(1, $"'{electionId}' has no previous election: a notional result is the previous election's on this election's boundaries. Set previousElectionId first (PUT /v1/elections/{electionId}).");
            return ImportOutcome.Failed(errors.Sorted(), errors.Count);
        }

        var standing = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT party_code FROM candidacies WHERE election_id = @electionId", new { electionId }, tx, cancellationToken: ct))).ToArray();
        rows = rows.Select(r => r with { PartyCode = PartyOf(r, standing) }).ToArray();
        var lines = rows.Select(r => r.Line).ToArray();
        var codes = rows.Select(r => r.Code).ToArray();
        var labels = rows.Select(r => r.Label).ToArray();
        var parties = rows.Select(r => r.PartyCode).ToArray();
        var votes = rows.Select(r => r.Votes).ToArray();
        var byLine = rows.ToDictionary(r => r.Line);
        foreach (var line in await connection.QueryAsync<int>(new CommandDefinition(unknownSeats, new { electionId, lines, codes }, tx, cancellationToken: ct)))
        {
            errors.Add(line, $"{byLine[line].Code} is not a constituency of '{electionId}'; import its results first (the notional result is of this election's seats).");
        }

        var stored = await connection.QueryAsync<(int Line, long Votes)>(new CommandDefinition(
            differing, new { electionId, lines, codes, labels, parties, votes }, tx, cancellationToken: ct));
        foreach (var (line, storedVotes) in stored)
        {
            var row = byLine[line];
            errors.Add(line, string.Create(CultureInfo.InvariantCulture,
                $"{row.Code} {row.Label} is stored as {storedVotes} votes; an estimate once imported is never rewritten."));
        }

        if (errors.Any)
        {
            return ImportOutcome.Failed(errors.Sorted(), errors.Count);
        }

        var newParties = rows.DistinctBy(r => r.PartyCode).Select(r => (Code: r.PartyCode, Known: KnownParties.For(r.PartyCode, r.PartyName))).ToArray();
        var partiesCreated = await connection.ExecuteAsync(new CommandDefinition(insertParties, new
        {
            codes = newParties.Select(p => p.Code).ToArray(),
            names = newParties.Select(p => p.Known.Name).ToArray(),
            colours = newParties.Select(p => p.Known.Colour).ToArray(),
        }, tx, cancellationToken: ct));
        var added = await connection.ExecuteAsync(new CommandDefinition(
            insertLines, new { electionId, codes, labels, parties, votes, source }, tx, cancellationToken: ct));
        if (added > 0)
        {
            await write.CommitAsync(ct);
        }

        var seats = codes.Distinct(StringComparer.Ordinal).Count();
        return ImportOutcome.Done(new ImportSummary(
            electionId, format.Name, source, encoding, rows.Count, seats, 0, 0, 0, added > 0 ? partiesCreated : 0, 0, 0, 0, added > 0, NotionalLinesAdded: added));
    }
}
