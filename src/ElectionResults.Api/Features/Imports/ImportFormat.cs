namespace ElectionResults.Api.Features.Imports;

/// <summary>The column that holds one field of an import, by the header names the publisher uses.</summary>
public sealed record ImportColumn(string Field, string Header, bool Required = true);

/// <summary>
/// A CSV layout the import understands. Columns are found by header name (case and surrounding spaces
/// ignored), so the order of columns and any extra columns do not matter.
/// </summary>
public sealed record ImportFormat(string Name, string Publisher, bool HasCandidates, bool SkipsTotalRow, IReadOnlyList<ImportColumn> Columns)
{
    /// <summary>Times are written day first, "13/12/2019 02:30" (the Library's files since 2019), and only so.</summary>
    public bool DayFirstTimes { get; init; }

    public const string CandidatesName = "hoc-candidates";
    public const string ConstituenciesName = "hoc-constituencies";
    public const string ElectoralCommissionName = "ec-constituencies";
    public const string ExpectedTimesName = "expected-times";
    public const string Candidates2024Name = "hoc-candidates-2024";
    public const string Constituencies2019Name = "hoc-constituencies-2019";
    public const string NotionalName = "notional-results";

    // Field names shared by every format; the headers differ.
    public const string Code = "code";
    public const string SeatName = "name";
    public const string County = "county";
    public const string Region = "region";
    public const string Country = "country";
    public const string PartyCode = "partyCode";
    public const string PartyName = "partyName";
    public const string FirstName = "firstName";
    public const string Surname = "surname";
    public const string Votes = "votes";
    public const string Electorate = "electorate";
    public const string InvalidVotes = "invalidVotes";
    public const string DeclaredAt = "declaredAt";
    public const string ExpectedAt = "expectedDeclarationAt";

    /// <summary>The House of Commons Library's results by candidate (2015 and 2017 layouts): one row per candidate.</summary>
    public static readonly ImportFormat HocCandidates = new(CandidatesName, "House of Commons Library", HasCandidates: true, SkipsTotalRow: false,
    [
        new(Code, "ons_id"),
        new(SeatName, "constituency_name"),
        new(County, "county_name"),
        new(Region, "region_name"),
        new(Country, "country_name"),
        new(PartyName, "party_name"),
        new(PartyCode, "party_abbreviation"),
        new(FirstName, "firstname"),
        new(Surname, "surname"),
        new(Votes, "votes"),
    ]);

    /// <summary>The House of Commons Library's constituency results: electorate, invalid votes and declaration time per seat.</summary>
    public static readonly ImportFormat HocConstituencies = new(ConstituenciesName, "House of Commons Library", HasCandidates: false, SkipsTotalRow: false,
    [
        new(Code, "ons_id"),
        new(SeatName, "constituency_name"),
        new(County, "county_name"),
        new(Region, "region_name"),
        new(Country, "country_name"),
        new(Electorate, "electorate"),
        new(InvalidVotes, "invalid_votes"),
        new(DeclaredAt, "declaration_time"),
    ]);

    /// <summary>
    /// The Library's results by candidate in its 2024 layout: Title Case headers ("ONS ID", "Party abbreviation",
    /// "Candidate first name") and more columns (party ids, MNIS ids), which are ignored.
    /// </summary>
    public static readonly ImportFormat HocCandidates2024 = new(Candidates2024Name, "House of Commons Library", HasCandidates: true, SkipsTotalRow: false,
    [
        new(Code, "ONS ID"),
        new(SeatName, "Constituency name"),
        new(County, "County name"),
        new(Region, "Region name"),
        new(Country, "Country name"),
        new(PartyName, "Party name"),
        new(PartyCode, "Party abbreviation"),
        new(FirstName, "Candidate first name"),
        new(Surname, "Candidate surname"),
        new(Votes, "Votes"),
    ]);

    /// <summary>
    /// The Library's constituency results in its layout since 2019 (the 2019 and 2024 files): Title Case headers ("ONS ID",
    /// "Valid votes"), declaration times day first ("13/12/2019 02:30", UK time; empty in 2024).
    /// </summary>
    public static readonly ImportFormat HocConstituencies2019 = new(Constituencies2019Name, "House of Commons Library", HasCandidates: false, SkipsTotalRow: false,
    [
        new(Code, "ONS ID"),
        new(SeatName, "Constituency name"),
        new(County, "County name"),
        new(Region, "Region name"),
        new(Country, "Country name"),
        new(Electorate, "Electorate"),
        new(InvalidVotes, "Invalid votes"),
        new(DeclaredAt, "Declaration time"),
    ]) { DayFirstTimes = true };

    /// <summary>The Electoral Commission's 2015 constituency file (Windows-1252): electorate per seat, then a blank line and a grand total.</summary>
    public static readonly ImportFormat EcConstituencies = new(ElectoralCommissionName, "Electoral Commission", HasCandidates: false, SkipsTotalRow: true,
    [
        new(Code, "Constituency ID"),
        new(SeatName, "Constituency Name"),
        new(County, "County"),
        new(Region, "Region"),
        new(Country, "Country"),
        new(Electorate, "Electorate"),
    ]);

    /// <summary>
    /// Expected declaration times (a desk's own file, or one made from a broadcaster's list): one row per seat,
    /// `ons_id,expected_declaration_time`, in UK local time like the Library's files (or ISO 8601 with an offset;
    /// an empty time clears it). Read by <see cref="ExpectedTimesImport"/>, not by <see cref="ImportParser"/>.
    /// </summary>
    public static readonly ImportFormat ExpectedTimes = new(ExpectedTimesName, "Expected declaration times", HasCandidates: false, SkipsTotalRow: false,
    [
        new(Code, "ons_id"),
        new(ExpectedAt, "expected_declaration_time"),
    ]);

    /// <summary>
    /// An election's notional previous result: the previous election's votes estimated on this election's boundaries, as the
    /// House of Commons Library loads Rallings &amp; Thrasher's 2019-on-2024 estimates (no header; 16 columns). Read by
    /// <see cref="NotionalImport"/>, by position, not by <see cref="ImportParser"/>.
    /// </summary>
    public static readonly ImportFormat Notional = new(NotionalName, "Rallings & Thrasher notional results", HasCandidates: false, SkipsTotalRow: false, []);

    /// <summary>The results files, read by <see cref="ImportParser"/>.</summary>
    public static IReadOnlyList<ImportFormat> All { get; } = [HocCandidates, HocConstituencies, EcConstituencies, HocCandidates2024, HocConstituencies2019];

    public static ImportFormat? Find(string? name) =>
        All.Append(ExpectedTimes).Append(Notional).FirstOrDefault(f => string.Equals(f.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Append(ExpectedTimes).Append(Notional).Select(f => f.Name));

    public bool Has(string field) => Columns.Any(c => c.Field == field);
}
