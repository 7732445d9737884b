namespace ElectionResults.Api.Features.Tallies;

/// <summary>The area a tally covers.</summary>
/// <param name="Id">Area id.</param>
/// <param name="Name">Area name.</param>
/// <param name="Kind">`nation`, `region`, `county` or `custom`.</param>
public sealed record TallyArea(string Id, string Name, string Kind);

/// <summary>One party's line in the state of the parties.</summary>
/// <param name="Party">Party code.</param>
/// <param name="Name">Party name.</param>
/// <param name="Colour">Party colour, `#RRGGBB`.</param>
/// <param name="Seats">Declared seats won.</param>
/// <param name="Gains">Seats won that another party won at the previous election.</param>
/// <param name="Losses">Seats this party won at the previous election and another party has now won.</param>
/// <param name="Net">gains − losses.</param>
/// <param name="Votes">Votes in the declared seats.</param>
/// <param name="Share">votes / all valid votes in the declared seats × 100.</param>
/// <param name="ShareChange">share − the party's share at the previous election over the same declared seats, in points; null when the party had no votes there before.</param>
public sealed record TallyParty(string Party, string Name, string Colour, int Seats, int Gains, int Losses, int Net, long Votes, decimal? Share, decimal? ShareChange);

/// <summary>State of the parties for an area or the whole election.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Area">The area; null for the whole election.</param>
/// <param name="Seats">Constituencies in the area.</param>
/// <param name="Declared">Constituencies with a result (declared or uncontested; a seat in recount is not counted).</param>
/// <param name="MajorityLine">floor(seats / 2) + 1: seats a party needs for a majority (326 of 650).</param>
/// <param name="Parties">Ordered by seats, then votes (both descending), then code.</param>
public sealed record TallyResponse(string ElectionId, bool IsTest, TallyArea? Area, int Seats, int Declared, int MajorityLine, IReadOnlyList<TallyParty> Parties);
