using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Features.Tallies;

namespace ElectionResults.Api.Features.TimeTravel;

/// <summary>A party's seats at one point of the night.</summary>
/// <param name="Party">Party code.</param>
/// <param name="Seats">Seats won (declared, drawn by lot or called) after this entry.</param>
public sealed record TimelineSeats(string Party, int Seats);

/// <summary>One revision, as it was published, with the state of the parties right after it.</summary>
/// <param name="Cursor">The revision's change-feed cursor.</param>
/// <param name="PublishedAt">When it became public.</param>
/// <param name="DeclaredAt">When the returning officer declared, as the revision records it; null when not recorded. For a replay, the source's time on the replay's virtual clock (the night's UK time of day on the rehearsal's night), while `publishedAt` is the real moment it was played.</param>
/// <param name="Code">ONS code of the seat.</param>
/// <param name="Name">Constituency name.</param>
/// <param name="Revision">The seat's revision number.</param>
/// <param name="Kind">How it was announced: `declared`, `corrected`, `winnerKnown`, `recount`, `postponed` or `retracted`.</param>
/// <param name="Status">The seat's status after it.</param>
/// <param name="Winner">Its winner (elected or called); null without one.</param>
/// <param name="Result">Its result text (`Con gain from Lab`); null without a result.</param>
/// <param name="Gain">True when the seat changed hands by it.</param>
/// <param name="Declared">Seats with a result (declared or uncontested) after it, in the election or the area.</param>
/// <param name="Parties">Seats per party after it (parties with at least one seat; most seats first, then by code).</param>
public sealed record TimelineEntry(
    long Cursor, DateTimeOffset PublishedAt, DateTimeOffset? DeclaredAt, string Code, string Name, int Revision, string Kind, string Status, WinnerResponse? Winner,
    string? Result, bool Gain, int Declared, IReadOnlyList<TimelineSeats> Parties);

/// <summary>The timeline of the night: every revision in publication order, with the running state of the parties.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Area">The area; null for the whole election.</param>
/// <param name="Seats">Constituencies in the election or the area.</param>
/// <param name="MajorityLine">floor(seats / 2) + 1.</param>
/// <param name="Entries">Oldest first (by publication time, then cursor).</param>
public sealed record TimelineResponse(string ElectionId, bool IsTest, TallyArea? Area, int Seats, int MajorityLine, IReadOnlyList<TimelineEntry> Entries);
