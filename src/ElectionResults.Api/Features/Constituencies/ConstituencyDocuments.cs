using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Constituencies;

/// <summary>Renders the constituency documents from a snapshot. Pure: the same snapshot gives the same bytes.</summary>
public static class ConstituencyDocuments
{
    public static ConstituencyResponse Render(ElectionSnapshot snapshot, SeatState seat)
    {
        var figures = seat.Figures;
        var outcome = seat.Outcome;
        var byId = figures?.Candidates.ToDictionary(c => c.CandidacyId);
        var candidates = OrderedCandidates(seat, figures).Select(c =>
        {
            var party = snapshot.Party(c.Party);
            CandidateFigures? f = null;
            byId?.TryGetValue(c.Id, out f);
            var votes = figures is null || seat.Status == "uncontested" ? (long?)null : f?.Votes;
            var elected = f?.Elected ?? outcome?.Winner?.CandidacyId == c.Id;
            return new CandidateResponse(c.Id, c.Name, c.Party, party.Name, party.ShortName, party.Colour, party.TextColour, votes, f?.Share, f?.ShareChange, elected, c.Description);
        }).ToArray();

        return new ConstituencyResponse(
            snapshot.Election.Id, snapshot.Election.IsTest, seat.Code, seat.Name, seat.Status, seat.Current?.Number, seat.Current?.DeclaredAt,
            seat.Electorate, figures?.ValidVotes, figures is null ? null : seat.Current?.InvalidVotes, figures?.Turnout, figures?.BallotTurnout,
            candidates, Winner(snapshot, outcome?.Winner), figures?.Majority, figures?.MajorityPercent,
            outcome?.Result, outcome?.Gain ?? false, seat.Previous?.WinnerParty, Swing(figures?.Swing), figures?.TiedParties ?? [],
            figures?.DecidedByLot ?? false, seat.Current?.RecountNumber, seat.Corrected, seat.Current?.Reason, seat.ExpectedDeclarationAt)
        {
            AsOf = snapshot.AsOf,
        };
    }

    public static ConstituencySummary Summarise(ElectionSnapshot snapshot, SeatState seat) => new(
        seat.Code, seat.Name, seat.Status, seat.Current?.Number, seat.Current?.DeclaredAt,
        Winner(snapshot, seat.Winner), seat.Figures?.Majority, seat.Outcome?.Result, seat.Outcome?.Gain ?? false, seat.Previous?.WinnerParty,
        seat.ExpectedDeclarationAt);

    /// <summary>The winner with their party's name, label and colours (from the snapshot's parties).</summary>
    public static WinnerResponse? Winner(ElectionSnapshot snapshot, CandidateFigures? winner)
    {
        if (winner is null)
        {
            return null;
        }

        var party = snapshot.Party(winner.Party);
        return new WinnerResponse(winner.Name, winner.Party, party.Name, party.ShortName, party.Colour, party.TextColour);
    }

    private static SwingResponse? Swing(Swing? swing) =>
        swing is null ? null : new SwingResponse(swing.From, swing.To, swing.Points, swing.Text);

    /// <summary>Most votes first when there is a result; otherwise the order of nomination.</summary>
    private static IEnumerable<Candidacy> OrderedCandidates(SeatState seat, SeatFigures? figures)
    {
        if (figures is null)
        {
            return seat.Candidates.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Id);
        }

        var rank = figures.Candidates.Select((c, i) => (c.CandidacyId, i)).ToDictionary(p => p.CandidacyId, p => p.i);
        return seat.Candidates.OrderBy(c => rank.GetValueOrDefault(c.Id, int.MaxValue)).ThenBy(c => c.Name, StringComparer.Ordinal);
    }
}
