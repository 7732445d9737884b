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
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
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

    public static async Task<Results<DocumentResult, ProblemHttpResult, ValidationProblem>> ListConstituencies(
        string electionId,
        [Description("Only seats in this area (an area id of this election, e.g. `east-midlands`).")] string? area,
        [Description("Only seats with this status: `notDeclared`, `winnerKnown`, `declared`, `recount`, `uncontested` or `postponed`.")] string? status,
        [Description("`true`: only seats won by a different party than at the previous election.")] bool? gains,
        [Description("Only seats whose current winner's party has this code (e.g. `Con`); undeclared and tied seats have no winner. A code that is no party is a 400.")] string? party,
        [Description("Name search, at most 100 characters: the words of `q` must begin consecutive words of the name, case- and accent-insensitively (`mans` finds Mansfield, `derby` finds Derby North and Liverpool, West Derby).")] string? q,
        [Description("`name` (the default) or `expected`: by expected declaration time, earliest first, seats without one last (then by name).")] string? sort,
        [Description("Only seats whose expected declaration time is before this instant (ISO 8601 with offset, e.g. `2017-06-09T03:00:00+01:00`); seats without one are left out.")] DateTimeOffset? expectedBefore,
        [Description(Csv.FormatDescription)] string? format,
        [Description(AsOf.Description)] string? asOf,
        [Description(BaselineParameter.Description)] string? baseline,
        HttpRequest request, SnapshotStore snapshots, PastSnapshots past, DocumentSerializer documents, TimeProvider time, CancellationToken ct)
    {
        if (!Csv.IsKnownFormat(format))
        {
            return Problems.Invalid("format", "format is csv or json.");
        }

        if (!AsOf.TryParse(asOf, out var instant, out var invalid))
        {
            return invalid!;
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

        var (snapshot, badBaseline) = await BaselineParameter.ResolveAsync(snapshots, past, electionId, instant, baseline, ct);
        if (badBaseline is not null)
        {
            return badBaseline;
        }

        if (snapshot is null)
        {
            return Problems.NoElection(electionId);
        }

        AreaInfo? found = null;
        if (area is not null && !snapshot.AreasById.TryGetValue(area, out found))
        {
            return Problems.NoArea(electionId, area);
        }

        if (party is not null && !snapshot.Parties.ContainsKey(party))
        {
            return Problems.Invalid("party", $"There is no party with the code '{party}' (codes are case-sensitive, e.g. 'Con').");
        }

        var csv = Csv.IsWanted(request);
        var before = expectedBefore?.ToUniversalTime();
        if (instant is { } pastInstant)
        {
            // The state at an instant: rendered from its own snapshot, never remembered by the front door.
            return new DocumentResult(
                RenderList(snapshot, documents, found, status, gains == true, csv, party, search, sort == "expected", before),
                cacheControl: AsOf.CacheControlFor(pastInstant, time.GetUtcNow()));
        }

        if (search is not null)
        {
            // Searches are as many as there are strings: rendered for each request, never kept.
            return new DocumentResult(RenderList(snapshot, documents, found, status, gains == true, csv, party, search, sort == "expected", before));
        }

        var key = new ConstituencyListKey(area, status, gains == true, party, sort, before, csv);
        return snapshot.Serve(key, s => RenderList(s, documents, found, status, gains == true, csv, party, null, sort == "expected", before));
    }

    private static RenderedDocument RenderList(
        ElectionSnapshot snapshot, DocumentSerializer documents, AreaInfo? area, string? status, bool gains, bool csv, string? party, string? search,
        bool byExpected, DateTimeOffset? expectedBefore)
    {
        IEnumerable<SeatState> seats = snapshot.Seats;
        if (area is not null)
        {
            var members = area.ConstituencyCodes.ToHashSet(StringComparer.Ordinal);
            seats = seats.Where(s => members.Contains(s.Code));
        }

        if (status is not null)
        {
            seats = seats.Where(s => s.Status == status);
        }

        if (gains)
        {
            seats = seats.Where(s => s.Outcome?.Gain == true);
        }

        if (expectedBefore is { } before)
        {
            seats = seats.Where(s => s.ExpectedDeclarationAt < before);
        }

        if (byExpected)
        {
            // Stable: seats with the same expected time (or none) stay in name order.
            seats = seats.OrderBy(s => s.ExpectedDeclarationAt is null).ThenBy(s => s.ExpectedDeclarationAt);
        }

        if (party is not null)
        {
            seats = seats.Where(s => s.Outcome?.Winner?.Party == party);
        }

        if (search is not null)
        {
            seats = seats.Where(s => NameSearch.Matches(s.Name, search));
        }

        var summaries = seats.Select(s => ConstituencyDocuments.Summarise(snapshot, s)).ToArray();
        if (csv)
        {
            return Csv.Render(
                ["code", "name", "status", "revision", "declaredAt", "winnerName", "winnerParty", "winnerPartyName", "winnerColour", "majority", "result", "gain", "previousWinnerParty", "expectedDeclarationAt"],
                summaries.Select(s => new object?[]
                {
                    s.Code, s.Name, s.Status, s.Revision, s.DeclaredAt, s.Winner?.Name, s.Winner?.Party, s.Winner?.PartyName, s.Winner?.Colour, s.Majority, s.Result, s.Gain,
                    s.PreviousWinnerParty, s.ExpectedDeclarationAt,
                }));
        }

        return documents.Render(new ConstituencyListResponse(snapshot.Election.Id, snapshot.Election.IsTest, BaselineParameter.ToResponse(snapshot.Election.Baseline), summaries) { AsOf = snapshot.AsOf });
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult, ValidationProblem>> GetConstituency(
        string electionId, string code, [Description(AsOf.Description)] string? asOf, SnapshotStore snapshots, PastSnapshots past,
        DocumentSerializer documents, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryParse(asOf, out var instant, out var invalid))
        {
            return invalid!;
        }

        if (await past.StateAsync(snapshots, electionId, instant, null, ct) is not { } snapshot)
        {
            return Problems.NoElection(electionId);
        }

        if (!snapshot.SeatsByCode.TryGetValue(code, out var seat))
        {
            return Problems.NoConstituency(electionId, code);
        }

        if (instant is { } pastInstant)
        {
            return new DocumentResult(snapshot.Rendered(new SeatKey(code), s => documents.Render(ConstituencyDocuments.Render(s, seat))),
                cacheControl: AsOf.CacheControlFor(pastInstant, time.GetUtcNow()));
        }

        return snapshot.Serve(new SeatKey(code), s => documents.Render(ConstituencyDocuments.Render(s, seat)));
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
