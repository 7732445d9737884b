using System.Text;

namespace ElectionResults.IntegrationTests.Hostile;

/// <summary>
/// Generates the hostile imports: malformed CSV of each layout, wrong formats and content types, oversize
/// uploads, and files that are well formed but conflict with declared results (refused after the import
/// has begun writing, so they prove that an import is all or nothing).
/// </summary>
public sealed class ImportCatalogue(Random random)
{
    public const string Endpoint = "POST /v1/elections/{electionId}/imports";
    private const string E = HostileWorld.Election;

    /// <summary>A CSV file as rows of cells; the first row is the header.</summary>
    private sealed record Csv(string Format, string[] Header, string[][] Rows)
    {
        public Csv Copy() => new(Format, [.. Header], [.. Rows.Select(r => r.ToArray())]);

        public int Column(string header) => System.Array.FindIndex(Header, h => h == header);

        public Csv Set(int row, string header, string value)
        {
            Rows[row][Column(header)] = value;
            return this;
        }

        public string Text(string newline = "\n") =>
            string.Join(newline, new[] { Header }.Concat(Rows).Select(r => string.Join(",", r.Select(Quote)))) + newline;

        public byte[] Bytes() => Encoding.UTF8.GetBytes(Text());

        private static string Quote(string cell) =>
            cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }

    private static readonly string[] SeatColumns = ["ons_id", "constituency_name", "county_name", "region_name", "country_name"];

    /// <summary>The Library's candidates file for the undeclared seat, naming exactly its three nominees: valid as it stands.</summary>
    private static Csv Candidates() => new("hoc-candidates",
        [.. SeatColumns, "party_name", "party_abbreviation", "firstname", "surname", "votes"],
        [.. HostileWorld.Nominees.Select((n, i) => new[]
        {
            HostileWorld.Seat, HostileWorld.SeatName, "Hostile County", "Hostile Region", "England",
            n.Party + " party", n.Party, n.Name.Split(' ')[0], n.Name.Split(' ')[1], ((i + 1) * 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
        })]);

    /// <summary>The Library's constituency file for the undeclared seat: valid, and would change its electorate.</summary>
    private static Csv Constituencies() => new("hoc-constituencies",
        [.. SeatColumns, "electorate", "invalid_votes", "declaration_time"],
        [[HostileWorld.Seat, HostileWorld.SeatName, "Hostile County", "Hostile Region", "England", "70001", "12", "2019-12-13 02:00:00"]]);

    /// <summary>The Electoral Commission's layout for the undeclared seat: valid, and would change its electorate.</summary>
    private static Csv Commission() => new("ec-constituencies",
        ["Constituency ID", "Constituency Name", "County", "Region", "Country", "Electorate"],
        [[HostileWorld.Seat, HostileWorld.SeatName, "Hostile County", "Hostile Region", "England", "70001"]]);

    private static string CountColumn(Csv csv) => csv.Format switch
    {
        "hoc-candidates" => "votes",
        "ec-constituencies" => "Electorate",
        _ => "electorate",
    };

    public IEnumerable<HostileRequest> All()
    {
        foreach (var csv in new[] { Candidates(), Constituencies(), Commission() })
        {
            foreach (var request in ForFormat(csv))
            {
                yield return request;
            }
        }

        foreach (var request in Conflicts())
        {
            yield return request;
        }
    }

    private IEnumerable<HostileRequest> ForFormat(Csv valid)
    {
        var format = valid.Format;
        HostileRequest Send(string name, byte[] body, string? election = E, string? formatName = null, string? contentType = Bodies.Csv, string? source = "hostile.csv") =>
            Import($"{format}: {name}", election ?? E, formatName ?? format, Bodies.Bytes(body, contentType), source);
        HostileRequest SendText(string name, string text) => Send(name, Encoding.UTF8.GetBytes(text));
        HostileRequest SendCsv(string name, Csv csv) => Send(name, csv.Bytes());
        var count = CountColumn(valid);
        var text = valid.Text();

        // A bad value in each column.
        foreach (var (column, bad) in BadCells(valid))
        {
            foreach (var value in bad)
            {
                var row = random.Next(valid.Rows.Length);
                yield return SendCsv($"{column} = {JsonCatalogue.Describe(value)}", valid.Copy().Set(row, column, value));
            }
        }

        if (format == "hoc-candidates")
        {
            yield return SendCsv("a candidate with no name", valid.Copy().Set(0, "firstname", "").Set(0, "surname", " "));
        }

        // Injection strings in every column: a fault on their own in the code and count columns, with a negative count elsewhere.
        foreach (var column in valid.Header)
        {
            foreach (var injection in Values.Injections)
            {
                var csv = valid.Copy().Set(0, column, injection);
                if (column != "ons_id" && column != "Constituency ID" && column != count)
                {
                    csv.Set(0, count, "-1");
                }

                yield return SendCsv($"{column} = {JsonCatalogue.Describe(injection)}", csv);
            }
        }

        // Structure.
        var header = text[..text.IndexOf('\n', StringComparison.Ordinal)];
        var firstRow = text.Split('\n')[1];
        yield return SendText("empty file", "");
        yield return Send("byte-order mark only", [0xEF, 0xBB, 0xBF]);
        yield return SendText("blank lines only", "\n\n \n\r\n");
        yield return SendText("header only", header + "\n");
        yield return SendText("header only, no newline", header);
        yield return SendText("header only, then blank lines", header + "\n\n\n");
        yield return SendText("header in upper case, no rows", header.ToUpperInvariant() + "\n");
        yield return SendText("a column missing from the header and the rows", string.Join('\n', text.Split('\n').Select(l => string.Join(',', l.Split(',').Skip(1)))));
        yield return SendText("header renamed", "x" + text);
        yield return SendText("header of 300 columns", string.Join(',', Enumerable.Range(0, 300).Select(i => $"c{i}")) + "\n" + firstRow + "\n");
        yield return SendText("a row with an extra field", header + "\n" + firstRow + ",extra\n");
        yield return SendText("a row with 100 extra fields", header + "\n" + firstRow + new string(',', 100) + "\n");
        yield return SendText("a row with a field missing", header + "\n" + firstRow[..firstRow.LastIndexOf(',')] + "\n");
        yield return SendText("an unquoted comma in a name", text.Replace(HostileWorld.SeatName, "Hostile, Seat", StringComparison.Ordinal));
        yield return SendText("an unbalanced quote", text.Replace(HostileWorld.SeatName, "\"Hostile Seat", StringComparison.Ordinal));
        yield return SendText("a stray quote inside a field", text.Replace(HostileWorld.SeatName, "Hostile \"Seat", StringComparison.Ordinal));
        yield return SendText("a quote never closed at the end", text + "\"");
        yield return SendText("a field of 20,000 characters", text.Replace(HostileWorld.SeatName, new string('x', 20_000), StringComparison.Ordinal));
        yield return SendText("a quoted field of 200,000 characters", text.Replace(HostileWorld.SeatName, "\"" + new string('x', 200_000) + "\"", StringComparison.Ordinal));
        yield return SendText("semicolon separated", text.Replace(',', ';'));
        yield return SendText("tab separated", text.Replace(',', '\t'));
        yield return SendText("JSON instead of CSV", "{\"ons_id\":\"E99000001\",\"votes\":100}");
        yield return SendText("XML instead of CSV", "<rows><row ons_id=\"E99000001\"/></rows>");
        yield return Send("UTF-16 encoded", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)]);
        yield return Send("UTF-32 encoded", Encoding.UTF32.GetBytes(text));
        yield return Send("gzip bytes", [0x1F, 0x8B, 0x08, 0x00, .. RandomBytes(200)]);
        yield return Send("random binary", RandomBytes(4096));
        yield return Send("random binary, 1 MB", RandomBytes(1_000_000));
        yield return Send("NUL bytes", new byte[1000]);
        yield return Send("Windows-1252 junk in a name and a negative count", Encoding.Latin1.GetBytes(valid.Copy().Set(0, valid.Header[1], "Ynys M\u00f4n \u00ff\u00fe").Set(0, count, "-1").Text()));
        yield return Send("invalid UTF-8 in the header", [.. Encoding.UTF8.GetBytes(header[..5]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(text[5..])]);
        yield return SendText("rows of one seat repeated", text + string.Join('\n', text.Split('\n').Skip(1)));
        yield return SendText("CR line endings only", text.Replace('\n', '\r') + "E99000001,,,,,,,,,-1\r");
        yield return SendCsv("the last of many valid rows is bad", Many(valid, 2000, count));
        yield return Send("1.5 MB of rows with bad counts", Encoding.UTF8.GetBytes(valid.Text() + string.Concat(Enumerable.Repeat(firstRow.Replace(",100", ",-1", StringComparison.Ordinal).Replace(",70001", ",-1", StringComparison.Ordinal) + "\n", 1_500_000 / firstRow.Length))));

        // Random damage to the valid file, always with a bad row at the end.
        for (var i = 0; i < 30; i++)
        {
            var bytes = Damage(valid.Copy().Set(valid.Rows.Length - 1, count, "-1").Bytes());
            yield return Send($"random damage #{i}", bytes);
        }

        // The wrong format for the file, or no format.
        foreach (var other in new[] { "hoc-candidates", "hoc-constituencies", "ec-constituencies" }.Where(f => f != format))
        {
            yield return Send($"sent as {other}", valid.Bytes(), formatName: other);
        }

        string[] badFormats = ["", "csv", "hoc_candidates", "hoc-candidate", "xml", "hoc-candidates,hoc-constituencies", "hoc-candidates%00", "%00", .. Values.Injections.Select(Uri.EscapeDataString)];
        foreach (var bad in badFormats)
        {
            yield return Import($"{format}: format={JsonCatalogue.Describe(bad)}", E, null, Bodies.Bytes(valid.Bytes(), Bodies.Csv), "hostile.csv", $"format={bad}");
        }

        yield return Import($"{format}: no format", E, null, Bodies.Bytes(valid.Bytes(), Bodies.Csv), "hostile.csv");
        yield return Import($"{format}: format twice", E, null, Bodies.Bytes(valid.Bytes(), Bodies.Csv), "hostile.csv", $"format={format}&format=xml");

        // Injection strings in the source (recorded in each revision), with a bad row.
        foreach (var injection in Values.Injections)
        {
            yield return Send($"source = {JsonCatalogue.Describe(injection)} + negative count", valid.Copy().Set(0, count, "-1").Bytes(), source: injection);
        }

        yield return Send("source of 10,000 characters + negative count", valid.Copy().Set(0, count, "-1").Bytes(), source: new string('s', 10_000));

        // Wrong content types (the file itself is valid).
        foreach (var contentType in new[]
        {
            "application/json", "text/plain", "application/octet-stream", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
            "text/csvx", "csv", "text/tab-separated-values", "application/vnd.ms-excel", "*/*", "text/*",
        })
        {
            yield return Send($"Content-Type {contentType}", valid.Bytes(), contentType: contentType);
        }

        yield return Send("no Content-Type", valid.Bytes(), contentType: null);
        yield return Import($"{format}: multipart upload of the file", E, format, () => new MultipartFormDataContent("hostile") { { new ByteArrayContent(valid.Bytes()), "file", "hostile.csv" } });

        // Elections that do not exist (the file itself is valid).
        string[] elections = ["nope", "GE2017", "ge2017%0A", .. Values.PathInjections.Select(Uri.EscapeDataString)];
        foreach (var election in elections)
        {
            yield return Send($"election {JsonCatalogue.Describe(election)}", valid.Bytes(), election: election);
        }

        // Oversize uploads: refused before reading when announced, as soon as the limit passes when not.
        var csvHead = header + "\n";
        yield return Import($"{format}: 21 MB announced", E, format, Bodies.Generated(csvHead, 'x', 21_000_000, announce: true, Bodies.Csv));
        yield return Import($"{format}: 21 MB chunked", E, format, Bodies.Generated(csvHead, 'x', 21_000_000, announce: false, Bodies.Csv));
        yield return Import($"{format}: 4 GB announced", E, format, Bodies.Generated(csvHead, 'x', 4_000_000_000, announce: true, Bodies.Csv));
    }

    /// <summary>Well-formed files that the stored results refuse, after the import has started writing.</summary>
    private static IEnumerable<HostileRequest> Conflicts()
    {
        var valid = Candidates();

        // Two of the seat's three nominees: Cat LD would be left without a row.
        yield return Import("hoc-candidates: a nominee left out", E, "hoc-candidates", Bodies.Bytes((valid with { Rows = valid.Rows[..2] }).Bytes(), Bodies.Csv), "hostile.csv");

        // A declared seat whose candidates differ, after a new seat with new areas and a new party that would be created first.
        string[] Row(string code, string name, string party, string first, string last, string votes) =>
            [code, name, "Hostile County", "East Midlands", "England", party + " party", party, first, last, votes];
        var conflict = new Csv("hoc-candidates", valid.Header,
        [
            Row("E99000002", "Hostile Two", "Hostile", "Eve", "New", "500"),
            Row("E99000002", "Hostile Two", "Con", "Fay", "New", "400"),
            Row(HostileWorld.DeclaredSeat, "Mansfield", "Con", "Zed", "Nobody", "100"),
        ]);
        yield return Import("hoc-candidates: new seat, then a declared seat with other candidates", HostileWorld.DeclaredElection, "hoc-candidates", Bodies.Bytes(conflict.Bytes(), Bodies.Csv), "hostile.csv");
        yield return Import("hoc-candidates: declared seat with other candidates only", HostileWorld.DeclaredElection, "hoc-candidates",
            Bodies.Bytes(new Csv("hoc-candidates", valid.Header, [Row(HostileWorld.DeclaredSeat, "Mansfield", "Lab", "Alan", "Meale", "1")]).Bytes(), Bodies.Csv), "hostile.csv");
        yield return Import("hoc-candidates: the undeclared seat's nominees plus a declared seat with other candidates", HostileWorld.DeclaredElection, "hoc-candidates",
            Bodies.Bytes(new Csv("hoc-candidates", valid.Header, [.. conflict.Rows, .. valid.Rows.Select(r => r.ToArray())]).Bytes(), Bodies.Csv), "hostile.csv");
    }

    /// <summary>The bad values for each column of a layout.</summary>
    private static IEnumerable<(string Column, string[] Values)> BadCells(Csv csv)
    {
        string[] code = ["", "e99000001", "E9900000", "E990000011", "E-9900000", "99000001E", "E99000001\u0000", "ＥE9900000"];
        string[] requiredName = ["", "   ", new string('n', 201), "a\u0001b", "a\u0000b", "line\nbreak\u0007"];
        string[] area = ["!!!", "---", "a\u0002", new string('c', 201), "\u0000"];
        string[] count = ["-1", "-0", "+5", "1e3", "1.5", "1,000", "abc", "0x1F", "10000001", "9223372036854775808", "-9223372036854775809", "\u0661\u0662", "NaN", "Infinity", "1 000", "٣"];
        string[] optionalCount = [.. count.Where(c => c.Length > 0)];
        foreach (var column in csv.Header)
        {
            var values = column switch
            {
                "ons_id" or "Constituency ID" => code,
                "constituency_name" or "Constituency Name" => requiredName,
                "country_name" or "Country" => [.. area, "", "   "],
                "county_name" or "region_name" or "County" or "Region" => area,
                "party_name" => [new string('p', 201), "a\u0001b", "\u0000"],
                "party_abbreviation" => ["", "Con/Lab", new string('p', 61), "Co\u0001n", "\u0000"],
                "firstname" or "surname" => [new string('f', 201), "a\u0003b"],
                "votes" => [.. count, ""],
                "electorate" or "invalid_votes" or "Electorate" => optionalCount,
                "declaration_time" => ["yesterday", "2019-02-30 01:00:00", "13/12/2019 02:00", "2019-12-13 25:00:00", "2019-12-13T02:00:00+25:00", "1576202400", "2019-12-13 02:00:00 BST"],
                _ => [],
            };
            yield return (column, values);
        }

    }

    /// <summary>The valid row repeated <paramref name="rows"/> times under other codes (creating seats), then one bad row.</summary>
    private static Csv Many(Csv valid, int rows, string count)
    {
        var template = valid.Rows[0];
        var many = Enumerable.Range(0, rows).Select(i =>
        {
            var row = template.ToArray();
            row[0] = $"E98{i:D6}";
            row[1] = $"Hostile {i}";
            return row;
        }).Append(template.ToArray()).ToArray();
        var csv = new Csv(valid.Format, valid.Header, many);
        return csv.Set(many.Length - 1, count, "-1");
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static readonly byte[] Specials = [(byte)'"', (byte)',', (byte)'\n', 0, (byte)'\r', (byte)';', 0xFF];

    /// <summary>A few random bytes changed, inserted or deleted.</summary>
    private byte[] Damage(byte[] bytes)
    {
        var list = bytes.ToList();
        for (var n = 1 + random.Next(5); n > 0 && list.Count > 2; n--)
        {
            var at = random.Next(list.Count - 1);
            switch (random.Next(4))
            {
                case 0:
                    list[at] = (byte)random.Next(256);
                    break;
                case 1:
                    list.Insert(at, Specials[random.Next(Specials.Length)]);
                    break;
                case 2:
                    list.RemoveAt(at);
                    break;
                default:
                    list.Insert(at, (byte)'"');
                    break;
            }
        }

        return [.. list];
    }

    private static HostileRequest Import(string name, string election, string? format, Func<HttpContent?> content, string? source = null, string? rawQuery = null)
    {
        var query = new List<string>();
        if (rawQuery is not null)
        {
            query.Add(rawQuery);
        }
        else if (format is not null)
        {
            query.Add("format=" + Uri.EscapeDataString(format));
        }

        if (source is not null)
        {
            query.Add("source=" + Uri.EscapeDataString(source));
        }

        return new HostileRequest
        {
            Endpoint = Endpoint,
            Case = name,
            Method = HttpMethod.Post,
            Path = $"/v1/elections/{election}/imports" + (query.Count > 0 ? "?" + string.Join('&', query) : ""),
            Content = content,
        };
    }
}
