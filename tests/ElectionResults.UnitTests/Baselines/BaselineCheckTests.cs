using ElectionResults.Api.Features.Baselines;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.UnitTests.Baselines;

public class BaselineCheckTests
{
    private static ElectionSnapshot Election(string id, Baseline? baseline, params string[] codes) =>
        new(1, new ElectionInfo(id, id, new DateOnly(2024, 7, 4), "general", baseline?.ElectionId, false) { Baseline = baseline },
            new Dictionary<string, PartyInfo>(),
            codes.Select(code => new SeatState(code, "Seat " + code, null, [], [], null, null, null)).ToArray(),
            []);

    [Fact]
    public void An_election_with_the_same_seats_or_more_can_be_compared_with()
    {
        var ge2019 = Election("ge2019", new Baseline("ge2017", false), "E14000530", "E14000531");
        var ge2015 = Election("ge2015", null, "E14000530", "E14000531", "E14000532");

        Assert.Null(BaselineParameter.Check(ge2019, "ge2015", ge2015));
    }

    [Fact]
    public void Seats_that_are_not_the_baselines_are_counted_and_the_first_named()
    {
        var ge2024 = Election("ge2024", new Baseline("ge2019", true), "E14001063", "E14001064", "E14001065", "E14001066", "S14000021");
        var ge2019 = Election("ge2019", new Baseline("ge2017", false), "E14000530", "S14000021");

        var message = BaselineParameter.Check(ge2024, "ge2019", ge2019);

        Assert.Equal(
            "4 of the 5 seats of 'ge2024' are not seats of 'ge2019' (E14001063 Seat E14001063, E14001064 Seat E14001064, E14001065 Seat E14001065, …): " +
            "the boundaries differ, so the results cannot be compared seat by seat. Without baseline, 'ge2024' is compared with the notional result of 'ge2019' on its own boundaries.",
            message);
    }

    [Fact]
    public void No_such_election_and_the_election_itself_are_refused()
    {
        var ge2017 = Election("ge2017", null, "E14000530");

        Assert.Equal("There is no election 'ge1997' to compare with.", BaselineParameter.Check(ge2017, "ge1997", null));
        Assert.Equal("'ge2017' cannot be compared with itself; name another election, or leave baseline out.", BaselineParameter.Check(ge2017, "ge2017", ge2017));
    }
}
