using System.Text;
using ElectionResults.Api.Features.Imports;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.UnitTests.Imports;

public class NotionalImportTests
{
    // Real rows of the notional 2019 result on the 2024 boundaries (no header, 16 columns), with the aggregate lines.
    private const string Ayr = """
        "Ayr, Carrick and Cumnock","Ayr, Carrick & Cumnock",S14000006,21,SC,Scotland,County,67.2,72800,48951,2329,SNPV,20272,SNP,Scottish National Party,29
        "Ayr, Carrick and Cumnock","Ayr, Carrick & Cumnock",S14000006,21,SC,Scotland,County,67.2,72800,48951,2329,CONV,17943,Con,Conservative Party,4
        "Ayr, Carrick and Cumnock","Ayr, Carrick & Cumnock",S14000006,21,SC,Scotland,County,67.2,72800,48951,2329,IND1V,300,Independent,Independent,8
        "Ayr, Carrick and Cumnock","Ayr, Carrick & Cumnock",S14000006,21,SC,Scotland,County,67.2,72800,48951,2329,IND2V,200,Independent 2 etc.,Independent 2 etc.,8
        "Ayr, Carrick and Cumnock","Ayr, Carrick & Cumnock",S14000006,21,SC,Scotland,County,67.2,72800,48951,2329,TOTOTHV,500,NA,NA,NA
        "Ayr, Carrick and Cumnock","Ayr, Carrick & Cumnock",S14000006,21,SC,Scotland,County,67.2,72800,48951,2329,MAXOTHV,300,NA,NA,NA
        """;

    private static (IReadOnlyList<NotionalRow> Rows, ImportErrors Errors, string Encoding) Parse(string text) =>
        NotionalImport.Parse(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)));

    [Fact]
    public void The_aggregate_lines_are_left_out_and_a_reissued_scottish_code_is_read_as_its_2024_code()
    {
        var (rows, errors, _) = Parse(Ayr);

        Assert.False(errors.Any);
        Assert.Equal(["SNPV", "CONV", "IND1V", "IND2V"], rows.Select(r => r.Label));
        Assert.All(rows, r => Assert.Equal("S14000107", r.Code));
        Assert.Equal([1, 2, 3, 4], rows.Select(r => r.Line));
        Assert.Equal(20272 + 17943 + 300 + 200, rows.Sum(r => r.Votes));
    }

    [Fact]
    public void A_bad_row_is_an_error_naming_its_line_and_column()
    {
        var text = Ayr + "\nX,Y,E1400106,1,SE,England,County,1,1,1,1,CONV,5,Con,Conservative Party,4\nX,Y,E14001063,1,SE,England,County,1,1,1,1,CONV,many,Con,Conservative Party,4\nX,Y";

        var (_, errors, _) = Parse(text);

        Assert.Equal(
            [
                (7, "Column 3 'E1400106' is not an ONS constituency code (a capital letter and eight digits, e.g. E14001063)."),
                (8, "Column 13 'many' is not a number of votes."),
                (9, "This row has 2 fields; a notional results file has 16 and no header."),
            ],
            errors.Sorted().Select(e => (e.Line, e.Message)));
    }

    [Fact]
    public void A_line_listed_twice_for_a_seat_is_an_error()
    {
        var (_, errors, _) = Parse(Ayr + "\n" + Ayr.Split('\n')[1]);

        Assert.Equal([(7, "S14000107 has the line CONV twice (first on line 2).")], errors.Sorted().Select(e => (e.Line, e.Message)));
    }

    [Theory]
    [InlineData("CONV", "Con", "Conservative Party", "Con")]
    [InlineData("LABV", "Lab", "Labour Party", "Lab")]
    [InlineData("LIBV", "Liberal", "Liberal", "Lib")]
    [InlineData("AONTV", "Aontú", "Aontú", "AONT")]
    [InlineData("BRXV", "Brexit Party", "The Brexit Party", "RUK")] // renamed Reform UK in 2021
    [InlineData("APNIV", "APNI", "Alliance Party", "Alliance")]
    [InlineData("GRNV", "Green", "Green Party", "Green")]
    [InlineData("IND1V", "Independent", "Independent", "Ind")]
    [InlineData("IND4V", "NA", "NA", "Ind")]
    [InlineData("Commons Speaker", "Commons Speaker", "Commons Speaker", "Spk")]
    [InlineData("UKIPV", "UKIP", "United Kingdom Independence Party", "UKIP")] // not standing in this test: read as the Library's files are
    [InlineData("CHPV", "Christian Party, Proclaiming Christ's Lordship", "Christian Party, Proclaiming Christ's Lordship", "christian-party-proclaiming-christs-lordship")]
    public void A_lines_party_is_matched_with_the_parties_standing_now(string label, string abbreviation, string name, string expected)
    {
        string[] standing = ["Con", "Lab", "Lib", "AONT", "RUK", "Alliance", "Green", "Ind", "Spk"];

        var party = NotionalImport.PartyOf(new NotionalRow(1, "E14001063", label, abbreviation, name, 10), standing);

        Assert.Equal(expected, party);
    }

    [Fact]
    public void A_notional_seat_adds_up_the_independents_and_is_won_by_the_largest_line()
    {
        SnapshotLoader.NotionalRow[] lines =
        [
            new("S14000107", "SNPV", "SNP", 20272), new("S14000107", "CONV", "Con", 17943),
            new("S14000107", "IND1V", "Ind", 300), new("S14000107", "IND2V", "Ind", 200),
        ];

        var seat = SnapshotLoader.NotionalSeat(lines)!;

        Assert.Equal("SNP", seat.WinnerParty);
        Assert.Equal(new Dictionary<string, long> { ["SNP"] = 20272, ["Con"] = 17943, ["Ind"] = 500 }, seat.VotesByParty);
        Assert.Null(SnapshotLoader.NotionalSeat([]));
        Assert.Null(SnapshotLoader.NotionalSeat([new("X", "CONV", "Con", 5), new("X", "LABV", "Lab", 5)])!.WinnerParty);
    }
}
