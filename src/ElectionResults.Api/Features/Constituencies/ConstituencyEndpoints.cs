using System.ComponentModel;
using System.Diagnostics;
using ElectionResults.Api.Features.Baselines;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Features.TimeTravel;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.OpenApi;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Constituencies;

public static class ConstituencyEndpoints
{
    private static readonly string[] Statuses = SeatState.Statuses;
    private static readonly string[] Sorts = ["name", "expected"];

    public static RouteGroupBuilder MapConstituencies(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}/constituencies").WithTags("Constituencies");

        group.MapGet("/", ListConstituencies)
            .WithName(nameof(ListConstituencies))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("List an election's constituencies with their status and result")
            .WithDescription("Filters combine: `area` (an area id of this election), `status` (`notDeclared`, `winnerKnown`, `declared`, `recount`, `uncontested`, `postponed`), `gains=true` (only seats that changed hands), `party` (only seats whose current winner stands for this party code), `q` (name search: each word of `q` must begin a word of the name, in order, ignoring case, accents and punctuation, so `derby` finds Derby North, Mid Derbyshire and Liverpool, West Derby, and `west der` finds Liverpool, West Derby) and `expectedBefore` (only seats expected to declare before that time). Ordered by name, or with `sort=expected` by expected declaration time (seats without one last, then by name). What is due in the next hour: `?status=notDeclared&expectedBefore={now + 1 hour}&sort=expected`. Send `Accept: text/csv` (or `format=csv`) for CSV with the columns code, name, status, revision, declaredAt, winnerName, winnerParty, winnerPartyName, winnerColour, majority, result, gain, previousWinnerParty, expectedDeclarationAt (when the declaration is expected, ISO 8601 with offset as in the JSON; empty when unknown).")
            .ProducesDocument<ConstituencyListResponse>("text/csv")
            .WithCsvExample("""
                code,name,status,revision,declaredAt,winnerName,winnerParty,winnerPartyName,winnerColour,majority,result,gain,previousWinnerParty,expectedDeclarationAt
                E14000810,Mansfield,declared,2,2017-06-09T03:17:00+00:00,Ben Bradley,Con,Conservative,#0087DC,1057,Con gain from Lab,true,Lab,2017-06-09T03:00:00+00:00

                """);

        group.MapGet("/{code}", GetConstituency)
            .WithName(nameof(GetConstituency))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get a constituency's current result with every derived figure")
            .WithDescription("The latest revision of the seat. Its ETag is the one a correction sends in `If-Match`.")
            .ProducesDocument<ConstituencyResponse>();

        group.MapPut("/{code}", PutConstituency)
            .WithName(nameof(PutConstituency))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Create or update a constituency at this election")
            .WithDescription("Sets the name, the electorate and the expected declaration time at this election and (when `areas` is given) its area memberships. 201 when the seat is new to this election, 200 otherwise; 409 while the election is certified (its seats are final).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithValidation()
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        return group;
    }

    public static async Task<IResult> ListConstituencies(
        [AsParameters] ElectionRead read,
        [Description("Only seats in this area (an area id of this election, e.g. `east-midlands`).")] string? area,
        [Description("Only seats with this status: `notDeclared`, `winnerKnown`, `declared`, `recount`, `uncontested` or `postponed`.")] string? status,
        [Description("`true`: only seats won by a different party than at the previous election.")] bool? gains,
        [Description("Only seats whose current winner's party has this code (e.g. `Con`); undeclared and tied seats have no winner. A code that is no party is a 400.")] string? party,
        [Description("Name search, at most 100 characters: the words of `q` must begin consecutive words of the name, case- and accent-insensitively (`mans` finds Mansfield, `derby` finds Derby North and Liverpool, West Derby).")] string? q,
        [Description("`name` (the default) or `expected`: by expected declaration time, earliest first, seats without one last (then by name).")] string? sort,
        [Description("Only seats whose expected declaration time is before this instant (ISO 8601 with offset, e.g. `2017-06-09T03:00:00+01:00`); seats without one are left out.")] DateTimeOffset? expectedBefore,
        [Description(Csv.FormatDescription)] string? format,
        [Description(AsOf.Description)] string? asOf,
        [Description(BaselineParameter.Description)] string? baseline)
    {
        if (!Csv.IsKnownFormat(format))
        {
            return Problems.Invalid("format", "format is csv or json.");
        }

        if (status is not null && !Statuses.Contains(status))
        {
            return Problems.Invalid("status", $"Status must be one of: {string.Join(", ", Statuses)}.");
        }

        var search = q is null ? null : NameSearch.Key(q);
        if (q is not null && (q.Length > NameSearch.MaxLength || search!.Length == 0))
        {
            return Problems.Invalid("q", $"The search must have a letter or digit and at most {NameSearch.MaxLength} characters.");
        }

        if (sort is not null && !Sorts.Contains(sort))
        {
            return Problems.Invalid("sort", $"sort must be one of: {string.Join(", ", Sorts)}.");
        }

        var found = await read.AtAsync(asOf, baseline, area);
        if (found.Problem is { } problem)
        {
            return problem;
        }

        if (party is not null && !found.Snapshot!.Parties.ContainsKey(party))
        {
            return Problems.Invalid("party", $"There is no party with the code '{party}' (codes are case-sensitive, e.g. 'Con').");
        }

        var csv = read.WantsCsv;
        var filter = new ListFilter(found.Area, status, gains == true, party, search, sort == "expected", expectedBefore?.ToUniversalTime());
        if (search is not null)
        {
            // Searches are as many as there are strings: rendered for each request, never kept.
            return read.ServeOnce(found, RenderList(found.Snapshot!, read.Documents, filter, csv));
        }

        var key = new ConstituencyListKey(area, status, filter.Gains, party, sort, filter.ExpectedBefore, csv);
        return read.Serve(found, key, s => RenderList(s, read.Documents, filter, csv));
    }

    /// <summary>The filters and order of a constituency list (<see cref="ConstituencyListKey"/> names the kept ones).</summary>
    private sealed record ListFilter(AreaInfo? Area, string? Status, bool Gains, string? Party, string? Search, bool ByExpected, DateTimeOffset? ExpectedBefore)
    {
        public IEnumerable<SeatState> Apply(IEnumerable<SeatState> seats)
        {
            if (Area is not null)
            {
                var members = Area.ConstituencyCodes.ToHashSet(StringComparer.Ordinal);
                seats = seats.Where(s => members.Contains(s.Code));
            }

            if (Status is not null)
            {
                seats = seats.Where(s => s.Status == Status);
            }

            if (Gains)
            {
                seats = seats.Where(s => s.Outcome?.Gain == true);
            }

            if (ExpectedBefore is { } before)
            {
                seats = seats.Where(s => s.ExpectedDeclarationAt < before);
            }

            if (ByExpected)
            {
                // Stable: seats with the same expected time (or none) stay in name order.
                seats = seats.OrderBy(s => s.ExpectedDeclarationAt is null).ThenBy(s => s.ExpectedDeclarationAt);
            }

            if (Party is not null)
            {
                seats = seats.Where(s => s.Outcome?.Winner?.Party == Party);
            }

            return Search is null ? seats : seats.Where(s => NameSearch.Matches(s.Name, Search));
        }
    }

    private static RenderedDocument RenderList(ElectionSnapshot snapshot, DocumentSerializer documents, ListFilter filter, bool csv)
    {
        var seats = filter.Apply(snapshot.Seats);
        if (csv)
        {
            return Csv.FromRows(CsvHeaderLine, seats.Select(seat => snapshot.Fragment(CsvRow, seat, static (snapshot, seat) =>
            {
                var s = ConstituencyDocuments.Summarise(snapshot, seat);
                return Csv.Row(
                [
                    s.Code, s.Name, s.Status, s.Revision, s.DeclaredAt, s.Winner?.Name, s.Winner?.Party, s.Winner?.PartyName, s.Winner?.Colour, s.Majority, s.Result, s.Gain,
                    s.PreviousWinnerParty, s.ExpectedDeclarationAt,
                ]);
            })));
        }

        // Each seat's item is serialised once per state of the seat, and the list spliced from the items.
        var items = seats.Select(seat => snapshot.Fragment(JsonItem, seat, (snapshot, seat) => documents.SerializeItem(ConstituencyDocuments.Summarise(snapshot, seat)))).ToArray();
        var list = new ConstituencyListResponse(snapshot.Election.Id, snapshot.Election.IsTest, BaselineParameter.ToResponse(snapshot.Election.Baseline), []) { AsOf = snapshot.AsOf };
        return documents.RenderList(list, "constituencies", items);
    }

    private const string JsonItem = "constituency-summary.json";
    private const string CsvRow = "constituency-summary.csv";

    private static readonly byte[] CsvHeaderLine = Csv.Row(
        ["code", "name", "status", "revision", "declaredAt", "winnerName", "winnerParty", "winnerPartyName", "winnerColour", "majority", "result", "gain", "previousWinnerParty", "expectedDeclarationAt"]);

    public static async Task<IResult> GetConstituency([AsParameters] ElectionRead read, string code, [Description(AsOf.Description)] string? asOf)
    {
        var found = await read.AtAsync(asOf);
        SeatState? seat = null;
        if ((found.Problem ?? read.Seat(found, code, out seat)) is { } problem)
        {
            return problem;
        }

        return read.Serve(found, new SeatKey(code), s => read.Documents.Render(ConstituencyDocuments.Render(s, seat!)));
    }

    public static async Task<Results<Created<ConstituencyResponse>, Ok<ConstituencyResponse>, ProblemHttpResult, ValidationProblem>> PutConstituency(
        string electionId, string code, PutConstituencyRequest request, ConstituencyStore store, CancellationToken ct)
    {
        if (!Slugs.ConstituencyCode().IsMatch(code))
        {
            return Problems.Invalid("code", "Constituency codes are ONS codes: a capital letter and eight digits, e.g. 'E14000810'.");
        }

        return await store.PutAsync(electionId, code, request, ct) switch
        {
            ConstituencyStore.PutOutcome.ElectionMissing => Problems.NoElection(electionId),
            ConstituencyStore.PutOutcome.UnknownArea { Area: var area } => Problems.Invalid("areas", Problems.NoAreaDetail(electionId, area)),
            ConstituencyStore.PutOutcome.Saved { Created: true } saved => TypedResults.Created($"/v1/elections/{electionId}/constituencies/{code}", saved.Document),
            ConstituencyStore.PutOutcome.Saved saved => TypedResults.Ok(saved.Document),
            var other => throw new UnreachableException($"Unexpected outcome {other}."),
        };
    }
}
