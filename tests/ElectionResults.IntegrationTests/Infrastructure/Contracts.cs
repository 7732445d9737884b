namespace ElectionResults.IntegrationTests.Infrastructure;

// The JSON contract as a client reads it; deliberately not the API's own types, so that a renamed
// field breaks these tests the way it would break a graphics client.

public sealed record WinnerDto(string Name, string Party);

/// <summary>A winner with what graphics draw them with (list items, the change feed and its events carry it).</summary>
public sealed record DrawnWinnerDto(string Name, string Party, string PartyName, string ShortName, string Colour, string TextColour);

public sealed record TallyPartyDto(
    string Party, string PartyName, string ShortName, string Colour, string TextColour, int Seats, int Gains, int Losses, int Net, long Votes, decimal? Share,
    decimal? ShareChange, List<string>? Parties = null, string? Majority = null);

public sealed record TallyAreaDto(string Id, string Name, string Kind);

public sealed record TallyDto(
    string ElectionId, bool IsTest, TallyAreaDto? Area, int Seats, int Declared, int MajorityLine, List<TallyPartyDto> Parties,
    long ValidVotes = 0, long? Electorate = null, decimal? Turnout = null, SwingDto? Swing = null, int WorkingMajorityLine = 0, int Open = 0,
    BaselineDto? Baseline = null)
{
    public TallyPartyDto Party(string code) => Parties.Single(p => p.Party == code);
}

public sealed record SummaryDto(string Code, string Name, string Status, int? Revision, DateTimeOffset? DeclaredAt, WinnerDto? Winner, long? Majority, string? Result, bool Gain, string? PreviousWinnerParty = null);

public sealed record ConstituencyListDto(string ElectionId, bool IsTest, List<SummaryDto> Constituencies, BaselineDto? Baseline = null);

/// <summary>What a tally's or a list's seats are compared with.</summary>
public sealed record BaselineDto(string ElectionId, bool Notional);

public sealed record CandidateDto(long Id, string Name, string Party, string PartyName, string ShortName, string Colour, string TextColour, long? Votes, decimal? Share, decimal? ShareChange, bool Elected);

public sealed record SwingDto(string From, string To, decimal Points, string Text);

public sealed record ConstituencyDto(
    string ElectionId, bool IsTest, string Code, string Name, string Status, int? Revision, DateTimeOffset? DeclaredAt,
    long? Electorate, long? ValidVotes, long? InvalidVotes, decimal? Turnout, decimal? BallotTurnout,
    List<CandidateDto> Candidates, WinnerDto? Winner, long? Majority, decimal? MajorityPercent,
    string? Result, bool Gain, string? PreviousWinnerParty, SwingDto? Swing, List<string> TiedParties);

public sealed record RevisionDto(int Revision, string Status, DateTimeOffset? DeclaredAt, string Source, string EnteredBy, string? Reason, long? ValidVotes, WinnerDto? Winner, long? Majority, string? Result);

public sealed record RevisionListDto(string ElectionId, string Code, string Name, List<RevisionDto> Revisions);

public sealed record ProblemDto(string? Type, string? Title, int? Status, string? Detail, Dictionary<string, string[]>? Errors);

public sealed record MilestoneDto(
    long Cursor, string Party, string PartyName, string Kind, string Previous, int Seats, int Open, int MajorityLine, string Code, string Name,
    DateTimeOffset? DeclaredAt, DateTimeOffset PublishedAt, bool IsTest);

/// <summary>The change feed's cursor and milestones (its changes left out).</summary>
public sealed record MilestoneFeedDto(string ElectionId, long Cursor, List<MilestoneDto> Milestones);
