using ElectionResults.Api.ReadModel;

namespace ElectionResults.UnitTests.ReadModel;

/// <summary>
/// Which changes invalidate which documents: a snapshot keeps a rendered document after seats' declarations changed
/// exactly when its key is not affected by them. The change here is Mansfield (E14000810), a member of
/// nottinghamshire, east-midlands and england.
/// </summary>
public sealed class DocumentKeyTests
{
    private static readonly HashSet<string> Mansfield = ["E14000810"];
    private static readonly HashSet<string> MansfieldAreas = ["nottinghamshire", "east-midlands", "england"];
    private static readonly HashSet<string> Nothing = [];

    /// <summary>A seat of the previous election that is not in this one: a changed seat with no area here.</summary>
    private static readonly HashSet<string> SeatWithoutAreas = ["E14000999"];

    private static bool AfterMansfield(DocumentKey key) => key.IsAffectedBy(Mansfield, MansfieldAreas);

    public static TheoryData<DocumentKey> KeysOfEveryKind() =>
    [
        ElectionKey.Instance,
        AreaListKey.Instance,
        new AreaKey("derbyshire"),
        new SeatKey("E14000810"),
        new TallyKey(null, 0, Csv: false),
        new TallyKey("derbyshire", 5, Csv: true),
        new ResultsCsvKey(null),
        new ResultsCsvKey("derbyshire"),
        new ConstituencyListKey(null, null, false, null, null, null, false),
        new TimelineKey(null, Csv: false),
        PartyListKey.Instance,
        new ElectionListKey(IncludeTest: true),
    ];

    [Theory]
    [MemberData(nameof(KeysOfEveryKind))]
    public void No_change_in_the_election_affects_no_document(DocumentKey key) => Assert.False(key.IsAffectedBy(Nothing, Nothing));

    [Fact]
    public void The_area_list_and_an_area_do_not_depend_on_declarations()
    {
        Assert.False(AfterMansfield(AreaListKey.Instance));
        Assert.False(AfterMansfield(new AreaKey("nottinghamshire")));
        Assert.False(AreaListKey.Instance.IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: true));
        Assert.False(new AreaKey("nottinghamshire").IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: true));
    }

    [Fact]
    public void The_election_document_depends_on_declarations_only_through_the_status()
    {
        Assert.False(ElectionKey.Instance.IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: false));
        Assert.True(ElectionKey.Instance.IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: true));
        Assert.True(ElectionKey.Instance.IsAffectedBy(SeatWithoutAreas, Nothing, statusChanged: true));
    }

    [Fact]
    public void Every_json_tally_carries_the_election_status_so_a_change_of_status_affects_the_tallies_of_other_areas_too()
    {
        Assert.False(new TallyKey("derbyshire", 0, Csv: false).IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: false));
        Assert.True(new TallyKey("derbyshire", 0, Csv: false).IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: true));
        Assert.True(new TallyKey("derbyshire", 5, Csv: false).IsAffectedBy(SeatWithoutAreas, Nothing, statusChanged: true));
        // The CSV carries no status.
        Assert.False(new TallyKey("derbyshire", 0, Csv: true).IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: true));
    }

    [Theory]
    [MemberData(nameof(KeysOfEveryKind))]
    public void Without_a_change_of_status_a_key_is_affected_as_before(DocumentKey key)
    {
        Assert.Equal(AfterMansfield(key), key.IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: false));
        Assert.False(key.IsAffectedBy(Nothing, Nothing, statusChanged: false));
    }

    [Fact]
    public void Documents_without_the_status_ignore_its_changes()
    {
        DocumentKey[] without = [AreaListKey.Instance, new AreaKey("derbyshire"), new SeatKey("E14000662"), new ResultsCsvKey("derbyshire"), PartyListKey.Instance];

        Assert.All(without, key => Assert.False(key.IsAffectedBy(Mansfield, MansfieldAreas, statusChanged: true)));
    }

    [Fact]
    public void A_constituency_document_depends_on_its_own_seat_alone()
    {
        Assert.True(AfterMansfield(new SeatKey("E14000810")));
        Assert.False(AfterMansfield(new SeatKey("E14000662")));
        Assert.False(new SeatKey("E14000810").IsAffectedBy(SeatWithoutAreas, Nothing));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(5, false)]
    [InlineData(0, true)]
    [InlineData(5, true)]
    public void A_tally_depends_on_the_seats_of_its_area_and_the_election_tally_on_every_seat(int others, bool csv)
    {
        Assert.True(AfterMansfield(new TallyKey("nottinghamshire", others, csv)));
        Assert.True(AfterMansfield(new TallyKey("east-midlands", others, csv)));
        Assert.False(AfterMansfield(new TallyKey("derbyshire", others, csv)));
        Assert.True(AfterMansfield(new TallyKey(null, others, csv)));
        Assert.True(new TallyKey(null, others, csv).IsAffectedBy(SeatWithoutAreas, Nothing));
        Assert.False(new TallyKey("derbyshire", others, csv).IsAffectedBy(SeatWithoutAreas, Nothing));
    }

    [Fact]
    public void A_results_csv_depends_on_the_seats_of_its_area_and_the_election_csv_on_every_seat()
    {
        Assert.True(AfterMansfield(new ResultsCsvKey("nottinghamshire")));
        Assert.False(AfterMansfield(new ResultsCsvKey("leicestershire")));
        Assert.True(AfterMansfield(new ResultsCsvKey(null)));
    }

    [Fact]
    public void Every_constituency_list_is_affected_by_any_seat_whatever_its_filters()
    {
        var before = new DateTimeOffset(2017, 6, 9, 2, 0, 0, TimeSpan.Zero);
        DocumentKey[] lists =
        [
            new ConstituencyListKey(null, null, false, null, null, null, false),
            new ConstituencyListKey("derbyshire", "declared", false, null, null, null, false),
            new ConstituencyListKey(null, null, true, "Con", "expected", before, true),
        ];

        Assert.All(lists, list => Assert.True(AfterMansfield(list)));
        Assert.All(lists, list => Assert.True(list.IsAffectedBy(new HashSet<string> { "E14000662" }, new HashSet<string> { "derbyshire" })));
        Assert.All(lists, list => Assert.True(list.IsAffectedBy(SeatWithoutAreas, Nothing)));
    }

    [Fact]
    public void The_timeline_is_affected_by_any_seat()
    {
        Assert.True(AfterMansfield(new TimelineKey(null, Csv: false)));
        Assert.True(AfterMansfield(new TimelineKey("derbyshire", Csv: true)));
    }

    [Fact]
    public void The_party_list_does_not_depend_on_declarations()
    {
        Assert.False(AfterMansfield(PartyListKey.Instance));
    }

    [Fact]
    public void The_list_of_elections_carries_each_status_so_any_declaration_may_change_it()
    {
        Assert.True(AfterMansfield(new ElectionListKey(IncludeTest: false)));
        Assert.True(new ElectionListKey(IncludeTest: true).IsAffectedBy(SeatWithoutAreas, Nothing));
        Assert.False(new ElectionListKey(IncludeTest: true).IsAffectedBy(Nothing, Nothing));
    }

    [Fact]
    public void Keys_are_equal_by_value_and_differ_by_every_option()
    {
        var before = new DateTimeOffset(2017, 6, 9, 3, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(new SeatKey("E14000810"), new SeatKey("E14000810"));
        Assert.Equal(new TallyKey("uk", 5, true), new TallyKey("uk", 5, true));
        Assert.Equal(
            new ConstituencyListKey("uk", "declared", true, "Con", "expected", before, false),
            new ConstituencyListKey("uk", "declared", true, "Con", "expected", before.ToUniversalTime(), false));

        DocumentKey[] distinct =
        [
            new TallyKey(null, 0, false), new TallyKey("uk", 0, false), new TallyKey("uk", 5, false), new TallyKey("uk", 5, true),
            new ResultsCsvKey(null), new ResultsCsvKey("uk"), new AreaKey("uk"), new SeatKey("uk"),
            new ConstituencyListKey(null, null, false, null, null, null, false),
            new ConstituencyListKey(null, null, false, null, null, null, true),
            new ConstituencyListKey(null, null, false, "Con", null, null, false),
            new ConstituencyListKey(null, null, false, null, "expected", null, false),
            new ConstituencyListKey(null, null, false, null, null, before, false),
            new TimelineKey(null, false), new TimelineKey(null, true), new TimelineKey("uk", false),
            new ElectionListKey(false), new ElectionListKey(true), ElectionKey.Instance, AreaListKey.Instance, PartyListKey.Instance,
        ];
        Assert.Equal(distinct.Length, distinct.ToHashSet().Count);
    }
}
