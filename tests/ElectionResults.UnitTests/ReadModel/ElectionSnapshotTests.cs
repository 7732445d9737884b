using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.UnitTests.ReadModel;

/// <summary>A snapshot patched after declarations finds its seats by code in their new state, and the one it came from in the old.</summary>
public class ElectionSnapshotTests
{
    private static SeatState Seat(string code, string name) => new(code, name, 70_000, [], [], null, null, null);

    [Fact]
    public void A_patched_snapshot_finds_the_changed_seat_new_and_the_others_as_they_were()
    {
        SeatState[] seats = [Seat("E1", "Ashfield"), Seat("E2", "Bassetlaw"), Seat("E3", "Mansfield")];
        var snapshot = new ElectionSnapshot(1, new ElectionInfo("ge2017", "General election 2017", new DateOnly(2017, 6, 8), "general", null, false),
            new Dictionary<string, PartyInfo>(), seats, []);
        var declared = seats[1] with { Electorate = 71_000 };

        var patched = snapshot.WithSeats(2, [declared]);

        Assert.Same(declared, patched.SeatsByCode["E2"]);
        Assert.Same(declared, patched.Seats[1]);
        Assert.Same(seats[0], patched.SeatsByCode["E1"]);
        Assert.Same(seats[2], patched.SeatsByCode["E3"]);
        Assert.Same(seats[1], snapshot.SeatsByCode["E2"]);
        Assert.Equal(3, patched.SeatsByCode.Count);
        Assert.False(patched.SeatsByCode.TryGetValue("E4", out _));
        Assert.Throws<KeyNotFoundException>(() => patched.SeatsByCode["E4"]);
        Assert.Equal(["E1", "E2", "E3"], patched.SeatsByCode.Keys);
        Assert.Equal([seats[0], declared, seats[2]], patched.SeatsByCode.Select(pair => pair.Value));
    }
}
