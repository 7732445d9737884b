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

    [Fact]
    public void A_patched_snapshot_keeps_the_constituency_documents_of_the_seats_it_shares_and_renders_the_changed_one_again()
    {
        SeatState[] seats = [Seat("E1", "Ashfield"), Seat("E2", "Bassetlaw"), Seat("E3", "Mansfield")];
        var snapshot = new ElectionSnapshot(1, new ElectionInfo("ge2017", "General election 2017", new DateOnly(2017, 6, 8), "general", null, false),
            new Dictionary<string, PartyInfo>(), seats, []);
        var renders = 0;
        RenderedDocument Render(ElectionSnapshot s, string code)
        {
            renders++;
            return new RenderedDocument(System.Text.Encoding.UTF8.GetBytes($"{code} {s.SeatsByCode[code].Electorate}"), "text/plain");
        }

        var e1 = snapshot.Rendered(new SeatKey("E1"), s => Render(s, "E1"));
        var e2 = snapshot.Rendered(new SeatKey("E2"), s => Render(s, "E2"));
        Assert.Same(e1, snapshot.Rendered(new SeatKey("E1"), s => Render(s, "E1")));
        Assert.Equal(2, renders);

        var patched = snapshot.WithSeats(2, [seats[1] with { Electorate = 71_000 }]);

        Assert.True(patched.HasRendered(new SeatKey("E1")));
        Assert.False(patched.HasRendered(new SeatKey("E2")));
        Assert.Same(e1, patched.Rendered(new SeatKey("E1"), s => Render(s, "E1")));
        var e2After = patched.Rendered(new SeatKey("E2"), s => Render(s, "E2"));
        Assert.Equal("E2 71000", System.Text.Encoding.UTF8.GetString(e2After.ToArray()));
        Assert.Equal(3, renders);
        // The snapshot before keeps its own.
        Assert.Same(e2, snapshot.Rendered(new SeatKey("E2"), s => Render(s, "E2")));
    }
}
