using System.Text;
using ElectionResults.Api.Features.Imports;

namespace ElectionResults.UnitTests.Imports;

public class ImportParserTests
{
    private const string CandidatesHeader =
        "ons_id,ons_region_id,constituency_name,county_name,region_name,country_name,constituency_type,party_name,party_abbreviation,firstname,surname,gender,sitting_mp,former_mp,votes,share,change";

    private const string ConstituenciesHeader =
        "ons_id,ons_region_id,constituency_name,county_name,region_name,country_name,constituency_type,declaration_time,result,first_party,second_party,electorate,valid_votes,invalid_votes,majority";

    private static string Candidate(string code = "E14000662", string name = "Derby North", string party = "Lab", string first = "Chris", string surname = "Williamson", string votes = "23622", string partyName = "Labour") =>
        $"{code},E12000004,{name},Derbyshire,East Midlands,England,Borough,{partyName},{party},{first},{surname},Male,No,Yes,{votes},0.48,0.11";

    private static string Csv(params string[] lines) => string.Join("\n", lines) + "\n";

    private static ParsedImport ParseCandidates(params string[] rows) => ImportParser.Parse(ImportFormat.HocCandidates, Csv([CandidatesHeader, .. rows]));

    private static ImportError SingleError(ParsedImport parsed) => Assert.Single(parsed.Errors.Sorted());

    [Fact]
    public void The_2015_candidates_fixture_reads_cleanly_with_its_traps()
    {
        var parsed = ImportParser.Parse(ImportFormat.HocCandidates, ImportFixtures.Bytes(ImportFixtures.Candidates2015));

        Assert.Empty(parsed.Errors.Sorted());
        Assert.Equal("utf-8", parsed.Encoding);
        Assert.Equal(60, parsed.Rows);
        Assert.Equal(60, parsed.Candidates.Count);
        Assert.Equal(9, parsed.Seats.Count);
        // A quoted comma stays in the name; CRLF line endings leave nothing behind.
        Assert.Contains(parsed.Seats, s => s is { Code: "S14000055", Name: "Ross, Skye and Lochaber", County: "Scotland", Region: "Scotland", Country: "Scotland" });
        Assert.All(parsed.Candidates, c => Assert.DoesNotContain('\r', c.Name + c.PartyCode));
        // UTF-8 accents.
        Assert.Contains(parsed.Candidates, c => c is { Name: "Máirtín Ó Muilleoir", PartyCode: "SF" });
        // Labour and Co-operative candidates are Lab.
        Assert.Contains(parsed.Candidates, c => c is { Name: "Andrew Pakes", PartyCode: "Lab", PartyName: "Labour and Co-operative" });
        // The Speaker is his own party, not a Conservative.
        Assert.Contains(parsed.Candidates, c => c is { Code: "E14000608", Name: "John Bercow", PartyCode: "Spk" });
        // Two different Independents in one seat are two candidates.
        Assert.Equal(["Carlton Reeve", "Jim Stop The Fiasco Wild"], parsed.Candidates.Where(c => c.Code == "E14000922" && c.PartyCode == "Ind").Select(c => c.Name));
    }

    [Fact]
    public void Line_numbers_are_physical_lines_of_the_file_with_the_header_as_line_1()
    {
        var bytes = ImportFixtures.Bytes(ImportFixtures.Candidates2015);
        var lines = Encoding.UTF8.GetString(bytes).Split("\r\n");

        var parsed = ImportParser.Parse(ImportFormat.HocCandidates, bytes);

        Assert.All(parsed.Candidates, c => Assert.StartsWith(c.Code + ",", lines[c.Line - 1], StringComparison.Ordinal));
        Assert.Equal(2, parsed.Candidates[0].Line);
    }

    [Fact]
    public void Names_are_trimmed_of_the_spaces_the_2017_file_leaves_in_them()
    {
        var parsed = ImportParser.Parse(ImportFormat.HocCandidates, ImportFixtures.Bytes(ImportFixtures.Candidates2017));

        Assert.Empty(parsed.Errors.Sorted());
        Assert.Equal(50, parsed.Candidates.Count);
        Assert.Contains(parsed.Candidates, c => c.Name == "Ibrahim Dogus");
        Assert.Contains(parsed.Candidates, c => c is { Name: "Mairtin Samuel O Muilleoir", PartyName: "Sinn Fein" });
    }

    [Fact]
    public void The_constituency_fixture_gives_electorate_invalid_votes_and_uk_declaration_time()
    {
        var parsed = ImportParser.Parse(ImportFormat.HocConstituencies, ImportFixtures.Bytes(ImportFixtures.Constituencies2017));

        Assert.Empty(parsed.Errors.Sorted());
        Assert.Equal(9, parsed.Seats.Count);
        Assert.Empty(parsed.Candidates);
        var belfast = Assert.Single(parsed.Seats, s => s.Code == "N06000003");
        Assert.Equal(66105, belfast.Electorate);
        Assert.Equal(130, belfast.InvalidVotes);
        Assert.Equal(new DateTimeOffset(2017, 6, 9, 3, 20, 0, TimeSpan.FromHours(1)), belfast.DeclaredAt);
    }

    [Fact]
    public void The_electoral_commission_fixture_is_windows_1252_and_its_blank_and_total_lines_are_skipped()
    {
        var parsed = ImportParser.Parse(ImportFormat.EcConstituencies, ImportFixtures.Bytes(ImportFixtures.ElectoralCommission2015));

        Assert.Empty(parsed.Errors.Sorted());
        Assert.Equal("windows-1252", parsed.Encoding);
        Assert.Equal(9, parsed.Rows);
        var ynysMon = Assert.Single(parsed.Seats, s => s.Code == "W07000041");
        Assert.Equal("Ynys Môn", ynysMon.Name);
        Assert.Equal(49939, ynysMon.Electorate);
        Assert.Null(ynysMon.InvalidVotes);
        Assert.Contains(parsed.Seats, s => s is { Code: "E14000560", Name: "Birmingham, Edgbaston", County: "West Midlands" });
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("12.5")]
    [InlineData("lots")]
    [InlineData("10000001")]
    [InlineData("")]
    public void A_vote_count_that_is_not_a_whole_number_up_to_ten_million_is_named_with_its_line(string votes)
    {
        var parsed = ParseCandidates(Candidate(), Candidate(party: "Con", first: "Amanda", surname: "Solloway", votes: votes));

        var error = SingleError(parsed);
        Assert.Equal(3, error.Line);
        Assert.Contains("'votes'", error.Message, StringComparison.Ordinal);
        Assert.Contains(votes.Length == 0 ? "empty" : $"'{votes}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_and_ten_million_votes_are_allowed()
    {
        var parsed = ParseCandidates(Candidate(votes: "0"), Candidate(party: "Con", first: "A", surname: "B", votes: "10000000"));

        Assert.Empty(parsed.Errors.Sorted());
        Assert.Equal([0L, 10_000_000L], parsed.Candidates.Select(c => c.Votes));
    }

    [Theory]
    [InlineData("E1400066")]
    [InlineData("e14000662")]
    [InlineData("")]
    [InlineData("E140006622")]
    public void An_ons_id_that_is_not_a_constituency_code_is_an_error(string code)
    {
        var error = SingleError(ParseCandidates(Candidate(code: code)));

        Assert.Equal(2, error.Line);
        Assert.Contains("'ons_id'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_names_and_bad_party_codes_are_errors()
    {
        var parsed = ParseCandidates(
            Candidate(name: ""),
            Candidate(first: "", surname: " "),
            Candidate(party: "Lab/Co-op", first: "X"),
            Candidate(party: "", first: "Y"));

        Assert.Equal([2, 3, 4, 5], parsed.Errors.Sorted().Select(e => e.Line));
        Assert.Contains("constituency_name", parsed.Errors.Sorted()[0].Message, StringComparison.Ordinal);
        Assert.Contains("a candidate needs a name", parsed.Errors.Sorted()[1].Message, StringComparison.Ordinal);
        Assert.Contains("party_abbreviation", parsed.Errors.Sorted()[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rows_of_one_seat_must_agree_on_its_name()
    {
        var error = SingleError(ParseCandidates(Candidate(), Candidate(name: "Derby N", party: "Con", first: "Amanda", surname: "Solloway")));

        Assert.Equal(3, error.Line);
        Assert.Contains("'Derby N' here but 'Derby North' on line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_listed_twice_in_a_seat_is_an_error_but_two_independents_are_not()
    {
        var parsed = ParseCandidates(
            Candidate(party: "Ind", first: "Ann", surname: "Smith", partyName: "Independent"),
            Candidate(party: "Ind", first: "Bob", surname: "Jones", partyName: "Independent"),
            Candidate(party: "Ind", first: "Ann", surname: "Smith", partyName: "Independent"));

        var error = SingleError(parsed);
        Assert.Equal(4, error.Line);
        Assert.Contains("already stands in E14000662 on line 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, parsed.Candidates.Count);
    }

    [Fact]
    public void A_missing_column_is_reported_on_line_1_by_name_and_nothing_else_is_read()
    {
        var parsed = ImportParser.Parse(ImportFormat.HocCandidates, Csv("ons_id,constituency_name,county_name,region_name,country_name,party_name,party_abbreviation,firstname,surname", "garbage,,"));

        var error = SingleError(parsed);
        Assert.Equal(1, error.Line);
        Assert.Contains("'votes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("hoc-candidates", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_the_wrong_format_is_told_which_columns_it_lacks()
    {
        var parsed = ImportParser.Parse(ImportFormat.EcConstituencies, ImportFixtures.Bytes(ImportFixtures.Candidates2017));

        var error = SingleError(parsed);
        Assert.Equal(1, error.Line);
        Assert.Contains("'Constituency ID'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData(",,,\n")]
    public void An_empty_file_is_an_error_on_line_1(string text) =>
        Assert.Equal(1, SingleError(ImportParser.Parse(ImportFormat.HocCandidates, text)).Line);

    [Fact]
    public void A_header_without_rows_is_an_error() =>
        Assert.Contains("no data rows", SingleError(ImportParser.Parse(ImportFormat.HocCandidates, Csv(CandidatesHeader))).Message, StringComparison.Ordinal);

    [Fact]
    public void Columns_are_found_by_name_in_any_order_and_case()
    {
        var parsed = ImportParser.Parse(ImportFormat.HocCandidates, Csv(
            "VOTES,Surname,firstname,party_abbreviation,party_name,country_name,region_name,county_name,constituency_name,ons_id",
            "100,Smith,Ann,Lab,Labour,England,East Midlands,Derbyshire,Derby North,E14000662"));

        Assert.Empty(parsed.Errors.Sorted());
        Assert.Equal(new CandidateRow(2, "E14000662", "Ann Smith", "Lab", "Labour", 100), Assert.Single(parsed.Candidates));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_an_error()
    {
        var error = SingleError(ParseCandidates(Candidate() + ",extra"));

        Assert.Equal(2, error.Line);
        Assert.Contains("18 fields but the header has 17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_lines_are_skipped_but_still_counted_in_line_numbers()
    {
        var parsed = ParseCandidates("", Candidate(), "", ",,,,,,,,,,,,,,,,", Candidate(party: "Con", first: "A", surname: "B", votes: "-1"));

        Assert.Equal(6, SingleError(parsed).Line);
        Assert.Equal(2, parsed.Rows);
    }

    [Fact]
    public void A_quoted_field_spanning_lines_counts_each_line()
    {
        var parsed = ParseCandidates(
            "E14000662,E12000004,Derby North,Derbyshire,East Midlands,England,Borough,Labour,Lab,Chris,\"Williamson\nthe second\",Male,No,Yes,100,0.4,0.1",
            Candidate(party: "Con", first: "A", surname: "B", votes: "x"));

        Assert.Equal(4, SingleError(parsed).Line);
        Assert.Equal(2, parsed.Candidates[0].Line);
    }

    [Fact]
    public void A_stray_quote_is_an_error_on_its_line()
    {
        // RFC 4180: a field containing quotes is enclosed in quotes and its quotes are doubled.
        var parsed = ParseCandidates(
            Candidate(),
            Candidate(party: "Con", first: "A", surname: "\"B\"oops\""),
            Candidate(party: "LD", first: "Jim \"Stop\" Wild"),
            Candidate(party: "Green", first: "\"Jim \"\"Stop\"\" Wild\""));

        Assert.Equal([3, 4], parsed.Errors.Sorted().Select(e => e.Line));
        Assert.All(parsed.Errors.Sorted(), e => Assert.Contains("quote", e.Message, StringComparison.Ordinal));
        Assert.Contains(parsed.Candidates, c => c.Name == "Jim \"Stop\" Wild Williamson");
    }

    [Fact]
    public void A_total_line_is_only_skipped_in_the_electoral_commission_format()
    {
        var parsed = ParseCandidates(Candidate(), ",,,,,,,,,,,,,,23622,,");

        Assert.NotEmpty(parsed.Errors.Sorted());
        Assert.All(parsed.Errors.Sorted(), e => Assert.Equal(3, e.Line));
    }

    [Fact]
    public void A_seat_appearing_twice_in_a_constituency_file_is_an_error()
    {
        const string row = "E14000662,E12000004,Derby North,Derbyshire,East Midlands,England,Borough,2017-06-09 03:38:00,Lab gain from Con,Lab,Con,69919,48672,109,2015";
        var error = SingleError(ImportParser.Parse(ImportFormat.HocConstituencies, Csv(ConstituenciesHeader, row, row)));

        Assert.Equal(3, error.Line);
        Assert.Contains("already appears on line 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2017-06-09 03:38:00", "2017-06-09T03:38:00+01:00")]
    [InlineData("2017-06-09 03:38", "2017-06-09T03:38:00+01:00")]
    [InlineData("2017-06-09T02:38:00Z", "2017-06-09T02:38:00+00:00")]
    [InlineData("2017-06-09T03:38:00+01:00", "2017-06-09T03:38:00+01:00")]
    [InlineData("", null)]
    public void Declaration_times_are_uk_wall_clock_unless_they_carry_an_offset(string time, string? expected)
    {
        var row = $"E14000662,E12000004,Derby North,Derbyshire,East Midlands,England,Borough,{time},Lab gain from Con,Lab,Con,69919,48672,,2015";
        var parsed = ImportParser.Parse(ImportFormat.HocConstituencies, Csv(ConstituenciesHeader, row));

        Assert.Empty(parsed.Errors.Sorted());
        var seat = Assert.Single(parsed.Seats);
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), seat.DeclaredAt);
        Assert.Null(seat.InvalidVotes);
    }

    [Fact]
    public void A_declaration_time_that_is_not_a_time_is_an_error()
    {
        var row = "E14000662,E12000004,Derby North,Derbyshire,East Midlands,England,Borough,09/06/2017 3am,Lab gain from Con,Lab,Con,69919,48672,109,2015";

        var error = SingleError(ImportParser.Parse(ImportFormat.HocConstituencies, Csv(ConstituenciesHeader, row)));

        Assert.Contains("'declaration_time'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_counted_but_only_the_first_100_are_listed()
    {
        var rows = Enumerable.Range(0, 150).Select(i => Candidate(first: $"C{i}", votes: "-1")).ToArray();

        var parsed = ParseCandidates(rows);

        Assert.Equal(150, parsed.Errors.Count);
        Assert.Equal(100, parsed.Errors.Listed.Count);
        Assert.Equal(Enumerable.Range(2, 100), parsed.Errors.Sorted().Select(e => e.Line));
    }

    [Fact]
    public void Binary_garbage_fails_fast_on_the_header()
    {
        var garbage = new byte[5 * 1024 * 1024];
        new Random(42).NextBytes(garbage);

        var parsed = ImportParser.Parse(ImportFormat.HocCandidates, garbage);

        Assert.Equal(1, SingleError(parsed).Line);
        Assert.Equal(0, parsed.Rows);
    }

    [Fact]
    public void A_huge_field_stops_the_read_with_an_error_instead_of_buffering_it()
    {
        var parsed = ParseCandidates(Candidate(), Candidate(first: new string('x', 50_000)));

        var error = SingleError(parsed);
        Assert.Equal(3, error.Line);
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }
}
