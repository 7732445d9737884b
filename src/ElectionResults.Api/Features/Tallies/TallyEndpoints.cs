using System.ComponentModel;
using ElectionResults.Api.Features.Baselines;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Features.Imports;
using ElectionResults.Api.Features.TimeTravel;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.OpenApi;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Tallies;

public static class TallyEndpoints
{
    /// <summary>The largest `others` threshold: more seats than any election has.</summary>
    public const int MaxOthers = 1000;

    private const string OthersDescription = "Fold every party with fewer than this many seats into one `Others` line, 0–1000 (0, the default, folds nothing).";

    private static readonly string[] CsvHeader =
    [
        "party", "partyName", "shortName", "colour", "textColour", "seats", "gains", "losses", "net", "votes", "share", "shareChange", "parties",
        "areaSeats", "declared", "majorityLine",
    ];

    /// <summary>The first rows of the East Midlands tally of 2017, as the CSV form answers.</summary>
    private const string EastMidlandsCsv = """
        party,partyName,shortName,colour,textColour,seats,gains,losses,net,votes,share,shareChange,parties,areaSeats,declared,majorityLine
        Con,Conservative,Conservative,#0087DC,#000000,31,2,3,-1,1195982,50.73,7.27,,46,46,24
        Lab,Labour,Labour,#E4003B,#FFFFFF,15,3,2,1,954635,40.49,8.85,,46,46,24
        LD,Liberal Democrat,Lib Dem,#FAA61A,#000000,0,0,0,0,101612,4.31,-1.25,,46,46,24

        """;

    public static RouteGroupBuilder MapTallies(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}").WithTags("Tallies");
        const string description = """
            Seats, gains, losses, net change, votes, share and share change of every party over the declared seats, and where the
            night stands: `declared`, `winnerKnown` (called, figures to follow: counted in the party's seats, gains and losses but
            not in votes or share), `undecided` (tied, no lot winner), `inRecount`, `postponed`, `remaining` (neither declared, called
            nor postponed) and `remainingExpectedByNextHour` (of those, the ones expected to declare by now + 1 hour). Always:
            the parties' seats + `undecided` = `declared` + `winnerKnown`, and `declared` + `winnerKnown` + `postponed` + `remaining` = `seats`.
            Also the area's `validVotes`, `electorate` and `turnout` over the declared seats, and the Butler `swing` between the two
            leading parties over the declared seats that polled at both elections.
            `electionStatus` is the whole election's status (`notStarted`, `partial`, `complete`, `certified`; see the election document),
            on an area's tally too: pollers may stop once it is `certified`.
            `others=N` folds every party with fewer than N seats into one `Others` line (last), whose `parties` lists what it holds.
            Send `Accept: text/csv` (or `format=csv`) for one CSV row per party (party, partyName, shortName, colour, textColour, seats,
            gains, losses, net, votes, share, shareChange, parties), each also carrying the area's `areaSeats` (the tally's `seats`),
            `declared` and `majorityLine`.
            """;

        group.MapGet("/tally", GetElectionTally)
            .WithName(nameof(GetElectionTally))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("State of the parties for the whole election")
            .WithDescription(description)
            .ProducesDocument<TallyResponse>("text/csv")
            .WithCsvExample(EastMidlandsCsv);

        group.MapGet("/areas/{areaId}/tally", GetAreaTally)
            .WithName(nameof(GetAreaTally))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("State of the parties for one area")
            .WithDescription(description)
            .ProducesDocument<TallyResponse>("text/csv")
            .WithCsvExample(EastMidlandsCsv);

        return group;
    }

    public static Task<IResult> GetElectionTally(
        [AsParameters] ElectionRead read,
        [Description(OthersDescription)] int? others,
        [Description(Csv.FormatDescription)] string? format,
        [Description(AsOf.Description)] string? asOf,
        [Description(BaselineParameter.Description)] string? baseline) =>
        ServeTally(read, null, others, format, asOf, baseline);

    public static Task<IResult> GetAreaTally(
        [AsParameters] ElectionRead read,
        string areaId,
        [Description(OthersDescription)] int? others,
        [Description(Csv.FormatDescription)] string? format,
        [Description(AsOf.Description)] string? asOf,
        [Description(BaselineParameter.Description)] string? baseline) =>
        ServeTally(read, areaId, others, format, asOf, baseline);

    /// <summary>The tally of an area, or of the whole election when <paramref name="areaId"/> is null: now, or as of a past instant.</summary>
    private static async Task<IResult> ServeTally(ElectionRead read, string? areaId, int? others, string? format, string? asOf, string? baseline)
    {
        if (Check(others, format) is { } invalid)
        {
            return invalid;
        }

        var found = await read.AtAsync(asOf, baseline, areaId);
        if (found.Problem is { } problem)
        {
            return problem;
        }

        var csv = read.WantsCsv;
        var fold = others ?? 0;
        var at = read.InstantOf(found);
        return read.Serve(found, new TallyKey(areaId, fold, csv), s => Document(read.Documents, Render(s, found.Area, at, fold), csv));
    }

    private static ValidationProblem? Check(int? others, string? format)
    {
        if (others is < 0 or > MaxOthers)
        {
            return Problems.Invalid("others", $"others is a number of seats, 0 to {MaxOthers}.");
        }

        return Csv.IsKnownFormat(format) ? null : Problems.Invalid("format", "format is csv or json.");
    }

    /// <summary>The tally document of an area (or of the whole election when <paramref name="area"/> is null), as of <paramref name="now"/>.</summary>
    public static (TallyResponse Tally, DateTimeOffset? ExpiresAt) Render(ElectionSnapshot snapshot, AreaInfo? area, DateTimeOffset now, int others = 0)
    {
        var figures = snapshot.Totals(area).Figures(now, others);
        var parties = figures.Parties.Select(p =>
        {
            var party = p.Folded is null ? snapshot.Party(p.Party) : new PartyInfo(Tally.Others, "Others", KnownParties.OtherColour);
            return new TallyParty(p.Party, party.Name, party.ShortName, party.Colour, party.TextColour, p.Seats, p.Gains, p.Losses, p.Net, p.Votes,
                p.Share, p.ShareChange, p.Folded, p.Folded is null ? Tally.MajorityStatus(p.Seats, figures.Open, figures.MajorityLine) : null);
        }).ToArray();

        var swing = figures.Swing is { } s ? new SwingResponse(s.From, s.To, s.Points, s.Text) : null;
        var tally = new TallyResponse(
            snapshot.Election.Id, snapshot.Election.IsTest, BaselineParameter.ToResponse(snapshot.Election.Baseline),
            area is null ? null : new TallyArea(area.Id, area.Name, area.Kind),
            figures.Seats, figures.Declared, figures.WinnerKnown, figures.Undecided, figures.InRecount, figures.Postponed,
            figures.Remaining, figures.RemainingExpectedByNextHour, figures.MajorityLine, figures.WorkingMajorityLine, figures.Open, figures.ValidVotes, figures.Electorate, figures.Turnout,
            swing, parties)
        {
            ElectionStatus = snapshot.Status,
            AsOf = snapshot.AsOf,
        };
        return (tally, figures.RemainingExpectedChangesAt);
    }

    /// <summary>The document, which expires when the count of seats expected within the hour would grow with the clock alone.</summary>
    private static RenderedDocument Document(DocumentSerializer documents, (TallyResponse Tally, DateTimeOffset? ExpiresAt) rendered, bool csv)
    {
        var (tally, expiresAt) = rendered;
        if (!csv)
        {
            return documents.Render(tally, expiresAt);
        }

        // The CSV carries no time-dependent figure.
        return Csv.Render(CsvHeader, tally.Parties.Select(p => new object?[]
        {
            p.Party, p.PartyName, p.ShortName, p.Colour, p.TextColour, p.Seats, p.Gains, p.Losses, p.Net, p.Votes, p.Share, p.ShareChange,
            p.Parties is null ? null : string.Join(' ', p.Parties), tally.Seats, tally.Declared, tally.MajorityLine,
        }));
    }
}
