using System.Globalization;
using System.Text;
using static ElectionResults.IntegrationTests.Hostile.JsonBody;

namespace ElectionResults.IntegrationTests.Hostile;

/// <summary>A change to a valid body that makes it invalid, whatever else the body holds.</summary>
public sealed record Mutation(string Field, string Name, Action<JsonBody> Apply);

/// <summary>A JSON write endpoint: a valid request for it, and what makes that request invalid.</summary>
public sealed class JsonEndpoint
{
    /// <summary>As openapi.yaml names it.</summary>
    public required string Endpoint { get; init; }

    public required HttpMethod Method { get; init; }

    /// <summary>A path at which <see cref="Template"/> would be accepted (every request sent to it is mutated).</summary>
    public required string Path { get; init; }

    /// <summary>A valid body. Where it updates something, it repeats the stored values, so that even a no-op write would show in the dump.</summary>
    public required Func<JsonBody> Template { get; init; }

    /// <summary>Each makes the body invalid on its own, and stays invalid combined with any other.</summary>
    public required IReadOnlyList<Mutation> Mutations { get; init; }

    /// <summary>Fields where any text is valid: injection strings go there only together with another fault.</summary>
    public IReadOnlyList<string> FreeText { get; init; } = [];

    /// <summary>Text fields with a format or a reference to check: an injection string there is a fault on its own.</summary>
    public IReadOnlyList<string> Checked { get; init; } = [];

    /// <summary>Paths at which even the valid template must be refused (bad ids, unknown or declared seats).</summary>
    public IReadOnlyList<(string Case, string Path)> BadPaths { get; init; } = [];

    /// <summary>Paths whose parameter is hostile but could be valid; sent only with a faulty body.</summary>
    public IReadOnlyList<(string Case, string Path)> SuspectPaths { get; init; } = [];

    /// <summary>Requests of this endpoint that need more than a body mutation (headers, other seats).</summary>
    public IReadOnlyList<HostileRequest> Specials { get; init; } = [];
}

/// <summary>Generates the hostile requests for the JSON write endpoints, deterministically from a seed.</summary>
public sealed class JsonCatalogue(HostileWorld world, Random random)
{
    private const string E = HostileWorld.Election;

    public IReadOnlyList<JsonEndpoint> Endpoints() =>
    [
        Elections(), Certification(), Parties(), Areas(), Constituencies(), Nominate(), ChangeNomination(), Declarations(),
    ];

    /// <summary>Every request for every JSON endpoint.</summary>
    public IEnumerable<HostileRequest> All() => Endpoints().SelectMany(Generate).Concat(Withdrawals()).Concat(CertificationWithdrawals());

    // ---------------------------------------------------------------- endpoints

    private static JsonEndpoint Elections() => new()
    {
        Endpoint = "PUT /v1/elections/{electionId}",
        Method = HttpMethod.Put,
        Path = $"/v1/elections/{E}",
        Template = () => new JsonBody()
            .Raw("name", Str(HostileWorld.ElectionName)).Raw("pollingDay", Str("2019-12-12")).Raw("kind", Str("general"))
            .Raw("previousElectionId", Str(HostileWorld.DeclaredElection)).Raw("isTest", "false"),
        Mutations =
        [
            .. RequiredText("name", 200),
            .. Required("pollingDay"), .. Each("pollingDay", Values.NotDates),
            .. RequiredText("kind", null), .. Each("kind", "\"General\"", "\"GENERAL\"", "\"by_election\"", "\"byelection\"", "\"local\"", "\"general \"", "\"general\\n\"", "\"by-election,general\""),
            .. Each("previousElectionId", Values.NotStrings),
            .. Each("previousElectionId", "\"GE2017\"", "\"ge1066\"", "\"\"", "\" ge2017\"", "\"ge2017 \"", "\"hostile-night\"", Str(Values.Filler(65, 'a')), "\"ge2017\\n\"", "\"ge_2017\""),
            .. Each("isTest", Values.NotBooleans),
            .. UnknownFields(),
        ],
        FreeText = ["name"],
        Checked = ["kind", "pollingDay", "previousElectionId"],
        BadPaths = [.. SlugPaths(id => $"/v1/elections/{id}", "electionId")],
        Specials =
        [
            Put("PUT /v1/elections/{electionId}", "baseline that leads back (ge2015 → ge2017 → ge2015)", "/v1/elections/ge2015",
                new JsonBody().Raw("name", Str("UK general election 2015")).Raw("pollingDay", Str("2015-05-07")).Raw("kind", Str("general")).Raw("previousElectionId", Str("ge2017"))),
            Put("PUT /v1/elections/{electionId}", "baseline that leads back through hostile-night", "/v1/elections/ge2017",
                new JsonBody().Raw("name", Str("UK general election 2017")).Raw("pollingDay", Str("2017-06-08")).Raw("kind", Str("general")).Raw("previousElectionId", Str(E))),
            Put("PUT /v1/elections/{electionId}", "new election whose baseline is itself", "/v1/elections/ge2019",
                new JsonBody().Raw("name", Str("GE 2019")).Raw("pollingDay", Str("2019-12-12")).Raw("kind", Str("general")).Raw("previousElectionId", Str("ge2019"))),
        ],
    };

    /// <summary>
    /// The certification of an election. The hostile night is not complete, so even a valid certification of it is refused
    /// (409); the declared election (one declared seat) would be complete, so it gets only faulty bodies.
    /// </summary>
    private static JsonEndpoint Certification() => new()
    {
        Endpoint = "PUT /v1/elections/{electionId}/certification",
        Method = HttpMethod.Put,
        Path = $"/v1/elections/{HostileWorld.DeclaredElection}/certification",
        Template = () => new JsonBody().Raw("source", Str("Returning officers' declarations")),
        Mutations =
        [
            .. RequiredText("source", 500),
            .. Each("source", "\"bad\\u0007source\"", "\"line\\nbreak\"", "\"\\u0000\""),
            .. UnknownFields(),
        ],
        FreeText = ["source"],
        BadPaths =
        [
            .. SlugPaths(id => $"/v1/elections/{id}/certification", "electionId"),
            ("unknown election", "/v1/elections/nope/certification"),
            ("incomplete election", $"/v1/elections/{E}/certification"),
        ],
    };

    /// <summary>Withdrawals of a certification: without a reason, with a faulty one, of an election that is not certified or does not exist.</summary>
    private static IEnumerable<HostileRequest> CertificationWithdrawals()
    {
        const string endpoint = "DELETE /v1/elections/{electionId}/certification";
        HostileRequest Delete(string name, string path) =>
            new() { Endpoint = endpoint, Case = name, Method = HttpMethod.Delete, Path = path, Content = () => null };

        var declared = $"/v1/elections/{HostileWorld.DeclaredElection}/certification";
        yield return Delete("no reason", declared);
        yield return Delete("empty reason", declared + "?reason=");
        yield return Delete("blank reason", declared + "?reason=%20%20");
        yield return Delete("reason with a control character", declared + "?reason=a%07b");
        yield return Delete("reason with a newline", declared + "?reason=a%0Ab");
        yield return Delete("reason of 1001 characters", declared + "?reason=" + Values.Filler(1001));
        yield return Delete("not certified", declared + "?reason=Recount");
        yield return Delete("incomplete, not certified", $"/v1/elections/{E}/certification?reason=Recount");
        yield return Delete("unknown election", "/v1/elections/nope/certification?reason=Recount");
        foreach (var (name, path) in SlugPaths(id => $"/v1/elections/{id}/certification?reason=Recount", "electionId"))
        {
            yield return Delete(name, path);
        }
    }

    private static JsonEndpoint Parties() => new()
    {
        Endpoint = "PUT /v1/parties/{code}",
        Method = HttpMethod.Put,
        Path = "/v1/parties/Con",
        Template = () => new JsonBody().Raw("name", Str("Conservative")).Raw("colour", Str("#0087DC")),
        Mutations =
        [
            .. RequiredText("name", 200),
            .. RequiredText("colour", null),
            .. Each("colour", "\"red\"", "\"#0087D\"", "\"#0087DCC\"", "\"0087DC\"", "\"#GGGGGG\"", "\"#0087 DC\"", "\"rgb(0,135,220)\"", "\"#0087DC\\n\"", "\"\\u00230087DC \"", "\"#\\u0000087DC\"", "\"＃0087DC\""),
            .. UnknownFields(),
        ],
        FreeText = ["name"],
        Checked = ["colour"],
        BadPaths =
        [
            ("code with a leading space", "/v1/parties/%20Con"),
            ("code with a trailing space", "/v1/parties/Con%20"),
            ("code with a tab", "/v1/parties/%09Con"),
            ("code with a newline", "/v1/parties/Con%0A"),
            ("code with a control character", "/v1/parties/Co%01n"),
            ("code of 61 characters", "/v1/parties/" + Values.Filler(61, 'C')),
            ("code of 500 characters", "/v1/parties/" + Values.Filler(500, 'C')),
        ],
        // Most injection strings are acceptable party codes (no slash, no control character): only with a faulty body.
        SuspectPaths = [.. Values.PathInjections.Select(i => ($"code = {Describe(i)}", $"/v1/parties/{Escape(i)}"))],
    };

    private static JsonEndpoint Areas() => new()
    {
        Endpoint = "PUT /v1/elections/{electionId}/areas/{areaId}",
        Method = HttpMethod.Put,
        Path = $"/v1/elections/{E}/areas/{HostileWorld.Area}",
        Template = () => new JsonBody().Raw("name", Str(HostileWorld.AreaName)).Raw("kind", Str("custom")).Raw("constituencies", Arr([Str(HostileWorld.Seat)])),
        Mutations =
        [
            .. RequiredText("name", 200),
            .. RequiredText("kind", null),
            .. Each("kind", "\"Custom\"", "\"county \"", "\"ward\"", "\"nations\"", "\"custom,region\"", "\"custom\\n\""),
            .. StringArrayFaults("constituencies"),
            .. Each("constituencies",
                Arr([Str(HostileWorld.DeclaredSeat)]), Arr([Str("e99000001")]), Arr([Str(HostileWorld.Seat), Str(HostileWorld.Seat)]),
                Arr([Str("E9900000")]), Arr([Str("E990000011")]), Arr([Str("E99000001\n")]), Arr([Str("E99000001 ")]),
                Arr(Enumerable.Range(0, 1001).Select(i => Str(string.Create(CultureInfo.InvariantCulture, $"E{i:D8}")))),
                Arr(Enumerable.Range(0, 1000).Select(i => Str(string.Create(CultureInfo.InvariantCulture, $"W{i:D8}"))))),
            .. UnknownFields(),
        ],
        FreeText = ["name"],
        Checked = ["kind", "constituencies[]"],
        BadPaths =
        [
            .. SlugPaths(id => $"/v1/elections/{E}/areas/{id}", "areaId"),
            ("unknown election", $"/v1/elections/nope/areas/{HostileWorld.Area}"),
            ("upper-case election", $"/v1/elections/GE2017/areas/{HostileWorld.Area}"),
            ("member not at that election", $"/v1/elections/{HostileWorld.DeclaredElection}/areas/{HostileWorld.Area}"),
            .. Values.PathInjections.Select(i => ($"electionId = {Describe(i)}", $"/v1/elections/{Escape(i)}/areas/{HostileWorld.Area}")),
        ],
    };

    private static JsonEndpoint Constituencies() => new()
    {
        Endpoint = "PUT /v1/elections/{electionId}/constituencies/{code}",
        Method = HttpMethod.Put,
        Path = HostileWorld.SeatPath,
        Template = () => new JsonBody().Raw("name", Str(HostileWorld.SeatName)).Raw("electorate", Num(HostileWorld.Electorate)).Raw("areas", Arr([Str(HostileWorld.Area)])),
        Mutations =
        [
            .. RequiredText("name", 200),
            .. Count("electorate", 100_000_000, required: false),
            .. StringArrayFaults("areas"),
            .. Each("areas",
                Arr([Str("nope")]), Arr([Str("Hostile-Patch")]), Arr([Str(HostileWorld.Area), Str(HostileWorld.Area)]), Arr([Str("uk")]),
                Arr([Str("hostile-patch\n")]), Arr([Str("-patch")]), Arr([Str(Values.Filler(65, 'a'))]),
                Arr(Enumerable.Range(0, 101).Select(i => Str(string.Create(CultureInfo.InvariantCulture, $"area-{i}"))))),
            .. UnknownFields(),
        ],
        FreeText = ["name"],
        Checked = ["areas[]"],
        BadPaths =
        [
            .. new[] { "e99000001", "E9900000", "E990000011", "EE9900000", "E99000001%20", "%20E99000001", "E-9900000", "%EF%BC%A599000001", "E99000001%0A" }
                .Select(code => ($"code = {code}", $"/v1/elections/{E}/constituencies/{code}")),
            .. Values.PathInjections.Select(i => ($"code = {Describe(i)}", $"/v1/elections/{E}/constituencies/{Escape(i)}")),
            ("unknown election", $"/v1/elections/nope/constituencies/{HostileWorld.Seat}"),
            .. Values.PathInjections.Select(i => ($"electionId = {Describe(i)}", $"/v1/elections/{Escape(i)}/constituencies/{HostileWorld.Seat}")),
        ],
        Specials =
        [
            Put("PUT /v1/elections/{electionId}/constituencies/{code}", "areas of another election", HostileWorld.DeclaredPath,
                new JsonBody().Raw("name", Str("Mansfield")).Raw("electorate", "1").Raw("areas", Arr([Str(HostileWorld.Area)]))),
        ],
    };

    private static JsonEndpoint Nominate() => new()
    {
        Endpoint = "POST /v1/elections/{electionId}/constituencies/{code}/candidates",
        Method = HttpMethod.Post,
        Path = $"{HostileWorld.SeatPath}/candidates",
        Template = () => new JsonBody().Raw("name", Str("Dan Green")).Raw("party", Str("Green")),
        Mutations = NominationMutations(),
        FreeText = ["name"],
        Checked = ["party"],
        BadPaths = [.. SeatPaths(seat => $"{seat}/candidates")],
    };

    private JsonEndpoint ChangeNomination() => new()
    {
        Endpoint = "PUT /v1/elections/{electionId}/constituencies/{code}/candidates/{candidateId}",
        Method = HttpMethod.Put,
        Path = $"{HostileWorld.SeatPath}/candidates/{world.SeatCandidates[0]}",
        Template = () => new JsonBody().Raw("name", Str(HostileWorld.Nominees[0].Name)).Raw("party", Str(HostileWorld.Nominees[0].Party)),
        Mutations = NominationMutations(),
        FreeText = ["name"],
        Checked = ["party"],
        BadPaths =
        [
            .. CandidateIdPaths(),
            .. SeatPaths(seat => $"{seat}/candidates/{world.SeatCandidates[0]}"),
            ("candidate of the declared seat", $"{HostileWorld.DeclaredPath}/candidates/{world.DeclaredCandidates[0]}"),
        ],
    };

    private static Mutation[] NominationMutations() =>
    [
        .. RequiredText("name", 200),
        .. RequiredText("party", 60),
        .. Each("party", "\"NoSuchParty\"", "\"con\"", "\"CON\"", "\" Con\"", "\"Con \"", "\"Con\\n\"", "\"Con/Lab\"", "\"Ind\\u0000\""),
        .. UnknownFields(),
    ];

    private JsonEndpoint Declarations()
    {
        var ids = world.SeatCandidates;
        string Vote(string id, string votes) => Obj(("candidateId", id), ("votes", votes));
        string Votes(params (long Id, long Votes)[] votes) => Arr(votes.Select(v => Vote(Num(v.Id), Num(v.Votes))));
        string WithVote(string firstId, string firstVotes) => Arr([Vote(firstId, firstVotes), Vote(Num(ids[1]), "200"), Vote(Num(ids[2]), "300")]);
        // The first field is a required one: the malformed cases duplicate it with null.
        var template = () => new JsonBody()
            .Raw("source", Str("Returning officer")).Raw("status", Str("declared")).Raw("votes", Votes((ids[0], 100), (ids[1], 200), (ids[2], 300)))
            .Raw("invalidVotes", "10").Raw("declaredAt", Str("2019-12-13T02:00:00+00:00")).Raw("reason", "null");
        const string endpoint = "POST /v1/elections/{electionId}/constituencies/{code}/declarations";
        var path = $"{HostileWorld.SeatPath}/declarations";

        return new JsonEndpoint
        {
            Endpoint = endpoint,
            Method = HttpMethod.Post,
            Path = path,
            Template = template,
            Mutations =
            [
                // "recount" is left out: with the votes taken away it would be a valid request.
                .. Each("status", "\"DECLARED\"", "\"Declared\"", "\"final\"", "\"\"", "\"uncontested\"", "\"notDeclared\"", "\"corrected\"", "\"declared \""),
                .. Each("status", Values.NotStrings),
                .. Required("votes"),
                .. Each("votes", "[]", "\"votes\"", "{}", "1", "[1,2,3]", "[[1,100]]", "[null]", "[{}]",
                    Votes((ids[0], 100), (ids[1], 200)),
                    Votes((ids[0], 100), (ids[0], 100), (ids[2], 300)),
                    Votes((ids[0], 100), (ids[1], 200), (ids[2], 300), (ids[0], 100)),
                    Votes((ids[0], 100), (ids[1], 200), (ids[2], 300), (ids[0], 100), (ids[1], 200), (ids[2], 300)),
                    Votes((ids[0], 100), (ids[1], 200), (ids[2], 300), (999_999_999, 1)),
                    Votes((ids[0], 100), (ids[1], 200), (999_999_999, 300)),
                    Votes((ids[0], 100), (ids[1], 200), (world.DeclaredCandidates[0], 300)),
                    Votes([.. ids.Select(id => (id, 100L)), .. world.DeclaredCandidates.Select(id => (id, 100L))]),
                    Arr(Enumerable.Range(0, 1000).Select(_ => Vote(Num(ids[0]), "1"))),
                    Arr([Obj(("candidateId", Num(ids[0])), ("votes", "100"), ("party", Str("Con"))), Vote(Num(ids[1]), "200"), Vote(Num(ids[2]), "300")]),
                    Arr([Obj(("votes", "100")), Vote(Num(ids[1]), "200"), Vote(Num(ids[2]), "300")]),
                    Arr([Obj(("candidateId", Num(ids[0]))), Vote(Num(ids[1]), "200"), Vote(Num(ids[2]), "300")])),
                .. new[] { "0", "-1", "null", "999999999", "9223372036854775807", "-9223372036854775808", Num(world.DeclaredCandidates[0]) }
                    .Select(id => new Mutation("votes", $"votes[0].candidateId = {id}", b => b.Raw("votes", WithVote(id, "100")))),
                .. Values.NotWholeNumbers.Select(id => new Mutation("votes", $"votes[0].candidateId = {id}", b => b.Raw("votes", WithVote(id, "100")))),
                .. ((string[])["-1", "10000001", "9223372036854775807", "null", .. Values.NegativeNumbers, .. Values.NotWholeNumbers])
                    .Select(v => new Mutation("votes", $"votes[0].votes = {v}", b => b.Raw("votes", WithVote(Num(ids[0]), v)))),
                .. Count("invalidVotes", 10_000_000, required: false),
                .. Required("declaredAt"), .. Each("declaredAt", Values.NotDateTimes),
                .. RequiredText("source", 500),
                .. Each("reason", Values.NotStrings), .. Each("reason", Str(Values.Filler(1001))),
                .. UnknownFields(),
            ],
            FreeText = ["source", "reason"],
            Checked = ["status", "declaredAt"],
            BadPaths = [.. SeatPaths(seat => $"{seat}/declarations")],
            Specials = DeclarationSpecials(endpoint, path, template),
        };
    }

    /// <summary>Preconditions and the declared seat: 409 without If-Match, 412 with a stale one, 400 for a correction without a reason.</summary>
    private HostileRequest[] DeclarationSpecials(string endpoint, string path, Func<JsonBody> template)
    {
        var declaredPath = $"{HostileWorld.DeclaredPath}/declarations";
        var etag = world.DeclaredETag;
        string Correction(string? reason, IEnumerable<long> ids) => new JsonBody()
            .Raw("votes", Arr(ids.Select((id, i) => Obj(("candidateId", Num(id)), ("votes", Num(1000 + i))))))
            .Raw("declaredAt", Str("2017-06-09T04:00:00+01:00")).Raw("source", Str("Returning officer")).Raw("reason", reason is null ? "null" : Str(reason))
            .ToString();
        var good = Correction("Recount ordered", world.DeclaredCandidates);
        var noReason = Correction(null, world.DeclaredCandidates);

        HostileRequest Post(string name, string target, string body, params string[] ifMatch) => new()
        {
            Endpoint = endpoint,
            Case = name,
            Method = HttpMethod.Post,
            Path = target,
            Content = Bodies.Text(body),
            Headers = [.. ifMatch.Select(tag => new KeyValuePair<string, string>("If-Match", tag))],
        };

        var stale = "\"0000000000000000\"";
        var weak = "W/" + etag;
        var otherCase = etag.Any(char.IsLower) ? etag.ToUpperInvariant() : etag.ToLowerInvariant();
        return
        [
            .. !string.Equals(otherCase, etag, StringComparison.Ordinal) ? [Post("declared seat, current ETag in the other case", declaredPath, good, otherCase)] : Array.Empty<HostileRequest>(),
            Post("undeclared seat, stale If-Match", path, template().ToString(), stale),
            Post("undeclared seat, weak If-Match", path, template().ToString(), "W/\"abc\""),
            Post("undeclared seat, several stale If-Match", path, template().ToString(), "\"a\", \"b\", \"c\""),
            Post("undeclared seat, injection in If-Match", path, template().ToString(), "\"'; DROP TABLE declarations; --\""),
            Post("undeclared seat, recount with votes", path, template().Raw("status", Str("recount")).ToString()),
            Post("undeclared seat, recount with votes and no time", path, template().Raw("status", Str("recount")).Remove("declaredAt").ToString()),
            Post("declared seat, no If-Match", declaredPath, good),
            Post("declared seat, no If-Match, recount", declaredPath, new JsonBody().Raw("status", Str("recount")).Raw("source", Str("RO")).Raw("reason", Str("Recount")).ToString()),
            Post("declared seat, unparsable If-Match", declaredPath, good, "garbage"),
            Post("declared seat, empty If-Match", declaredPath, good, ""),
            Post("declared seat, stale If-Match", declaredPath, good, stale),
            Post("declared seat, weak form of the current ETag", declaredPath, good, weak),
            Post("declared seat, injection in If-Match", declaredPath, good, "\"<script>alert(1)</script>\""),
            Post("declared seat, current ETag but no reason", declaredPath, noReason, etag),
            Post("declared seat, current ETag, blank reason", declaredPath, Correction("   ", world.DeclaredCandidates), etag),
            Post("declared seat, If-Match * but no reason", declaredPath, noReason, "*"),
            Post("declared seat, current ETag, duplicated candidate", declaredPath, Correction("Recount", [.. world.DeclaredCandidates, world.DeclaredCandidates[0]]), etag),
            Post("declared seat, current ETag, missing candidate", declaredPath, Correction("Recount", world.DeclaredCandidates.Skip(1)), etag),
            Post("declared seat, current ETag, another seat's candidates", declaredPath, Correction("Recount", world.SeatCandidates), etag),
            Post("declared seat, current ETag, unknown candidate", declaredPath, Correction("Recount", [.. world.DeclaredCandidates, 999_999_999]), etag),
            Post("declared seat, If-Match *, empty votes", declaredPath, Correction("Recount", []), "*"),
            Post("declared seat, current ETag, uncontested with many candidates", declaredPath,
                new JsonBody().Raw("status", Str("uncontested")).Raw("declaredAt", Str("2017-06-09T04:00:00+01:00")).Raw("source", Str("RO")).Raw("reason", Str("x")).ToString(), etag),
            Post("declared seat, current ETag, negative votes", declaredPath,
                new JsonBody().Raw("votes", Arr(world.DeclaredCandidates.Select(id => Obj(("candidateId", Num(id)), ("votes", "-5"))))).Raw("declaredAt", Str("2017-06-09T04:00:00+01:00")).Raw("source", Str("RO")).Raw("reason", Str("x")).ToString(), etag),
        ];
    }

    // ---------------------------------------------------------------- DELETE (no body)

    private IEnumerable<HostileRequest> Withdrawals()
    {
        const string endpoint = "DELETE /v1/elections/{electionId}/constituencies/{code}/candidates/{candidateId}";
        HostileRequest Delete(string name, string path, Func<HttpContent?>? content = null) =>
            new() { Endpoint = endpoint, Case = name, Method = HttpMethod.Delete, Path = path, Content = content ?? (() => null) };

        foreach (var (name, path) in CandidateIdPaths())
        {
            yield return Delete(name, path);
        }

        foreach (var (name, path) in SeatPaths(seat => $"{seat}/candidates/{world.SeatCandidates[1]}"))
        {
            yield return Delete(name, path);
        }

        foreach (var id in world.DeclaredCandidates)
        {
            yield return Delete("candidate of the declared seat", $"{HostileWorld.DeclaredPath}/candidates/{id}");
        }

        // A withdrawal that would succeed, but carries a body over the limit: refused before anything happens.
        var real = $"{HostileWorld.SeatPath}/candidates/{world.SeatCandidates[2]}";
        yield return Delete("body over 64 KB (Content-Length)", real, Bodies.Generated("{\"x\":\"", 'x', 70_000, announce: true, Bodies.Json));
        yield return Delete("body of 30 MB (Content-Length)", real, Bodies.Generated("", 'x', 30_000_000, announce: true, "text/plain"));
    }

    // ---------------------------------------------------------------- generation

    private IEnumerable<HostileRequest> Generate(JsonEndpoint endpoint)
    {
        var template = endpoint.Template().ToString();
        HostileRequest Send(string name, string body, string? contentType = Bodies.Json, string? path = null) =>
            Request(endpoint, name, Bodies.Text(body, contentType), path);
        HostileRequest SendBytes(string name, byte[] body, string? contentType = Bodies.Json) => Request(endpoint, name, Bodies.Bytes(body, contentType));

        // One fault at a time.
        foreach (var mutation in endpoint.Mutations)
        {
            yield return Send(mutation.Name, Apply(endpoint, mutation));
        }

        // Injection strings: on their own where the field has a rule, with another fault where any text is valid.
        foreach (var field in endpoint.Checked)
        {
            foreach (var injection in Values.Injections)
            {
                yield return Send($"{field} = {Describe(injection)}", Inject(endpoint.Template(), field, Str(injection)).ToString());
            }
        }

        foreach (var field in endpoint.FreeText)
        {
            foreach (var injection in Values.Injections)
            {
                var other = Pick(endpoint.Mutations.Where(m => m.Field != field).ToArray());
                var body = Inject(endpoint.Template(), field, Str(injection));
                other.Apply(body);
                yield return Send($"{field} = {Describe(injection)} + {other.Name}", body.ToString());
            }
        }

        // Text that no column can store faithfully: the API must refuse it on its own, even in an otherwise valid request.
        foreach (var field in endpoint.FreeText.Concat(endpoint.Checked))
        {
            foreach (var (name, raw) in Values.UnstorableStrings)
            {
                yield return Send($"{field} = {name}", Inject(endpoint.Template(), field, raw).ToString());
            }
        }

        // Malformed JSON.
        // A fault that leaves the template as it was (a double comma in a body of one field) is no fault.
        foreach (var (name, body) in Malformed(template).Where(m => m.Body != template))
        {
            yield return Send(name, body);
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(template);
        var firstString = template.IndexOf(":\"", StringComparison.Ordinal) + 2;
        yield return SendBytes("byte-order mark then garbage", [0xEF, 0xBB, 0xBF, .. "garbage"u8.ToArray()]);
        yield return SendBytes("byte-order mark then truncated JSON", [0xEF, 0xBB, 0xBF, .. utf8[..^1]]);
        yield return SendBytes("two byte-order marks", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. utf8]);
        yield return SendBytes("UTF-16 body labelled UTF-8", Encoding.Unicode.GetBytes(template), "application/json; charset=utf-8");
        yield return SendBytes("UTF-32 body", Encoding.UTF32.GetBytes(template));
        foreach (var (name, junk) in new (string, byte[])[]
        {
            ("invalid UTF-8 in a string", [0xC3, 0x28]),
            ("overlong UTF-8 quote in a string", [0xC0, 0xA2]),
            ("UTF-8 encoded surrogate in a string", [0xED, 0xA0, 0x80]),
            ("raw NUL byte in a string", [0x00]),
            ("raw control character in a string", [0x01, 0x1F]),
            ("lone continuation bytes in a string", [0x80, 0xBF]),
            ("truncated UTF-8 sequence in a string", [0xE2, 0x82]),
        })
        {
            yield return SendBytes(name, Values.WithInvalidUtf8(template[..firstString], template[firstString..], junk));
        }

        // Wrong content types (the body itself is valid).
        foreach (var contentType in new[]
        {
            "text/plain", "application/xml", "text/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "text/csv",
            "application/octet-stream", "json", "application/jsonx", "application/vnd.api+xml", "*/*", "text/html", "application/javascript",
        })
        {
            yield return Send($"Content-Type {contentType}", template, contentType);
        }

        yield return Send("no Content-Type", template, contentType: null);
        yield return Send("Content-Type with an unknown charset", template, "application/json; charset=nonsense");
        yield return Send("Content-Type with an empty charset, unknown field", endpoint.Template().Raw("hostile", "1").ToString(), "application/json; charset=");
        yield return SendBytes("UTF-8 body labelled UTF-16", utf8, "application/json; charset=utf-16");
        yield return Request(endpoint, "multipart form body", () =>
        {
            var form = new MultipartFormDataContent("hostile") { { new StringContent(template, Encoding.UTF8, Bodies.Json), "body" } };
            return form;
        });
        yield return Request(endpoint, "url-encoded form body", () => new FormUrlEncodedContent([new("name", "x"), new("kind", "general")]));

        // Oversize bodies.
        var open = template[..firstString];
        yield return Request(endpoint, "body over 64 KB (Content-Length)", Bodies.Generated(open, 'x', 70_000, announce: true, Bodies.Json));
        yield return Request(endpoint, "body over 64 KB (chunked)", Bodies.Generated(open, 'x', 70_000, announce: false, Bodies.Json));
        yield return Request(endpoint, "2 MB string (Content-Length)", Bodies.Generated(open, 'x', 2_000_000, announce: true, Bodies.Json));
        yield return Request(endpoint, "2 MB string (chunked)", Bodies.Generated(open, 'x', 2_000_000, announce: false, Bodies.Json));
        yield return Request(endpoint, "30 MB body (chunked)", Bodies.Generated("[", '[', 30_000_000, announce: false, Bodies.Json));
        yield return Request(endpoint, "2 GB announced", Bodies.Generated("{", ' ', 2_000_000_000, announce: true, Bodies.Json));

        // The valid body where the path is wrong.
        foreach (var (name, path) in endpoint.BadPaths)
        {
            yield return Send(name, template, path: path);
        }

        foreach (var (name, path) in endpoint.SuspectPaths)
        {
            var fault = Pick(endpoint.Mutations);
            yield return Send($"{name} + {fault.Name}", Apply(endpoint, fault), path: path);
        }

        foreach (var special in endpoint.Specials)
        {
            yield return special;
        }

        // Several faults at once, chosen at random (from a fixed seed).
        for (var i = 0; i < 30; i++)
        {
            var body = endpoint.Template();
            var chosen = Enumerable.Range(0, 2 + random.Next(3)).Select(_ => Pick(endpoint.Mutations)).DistinctBy(m => m.Field).ToArray();
            foreach (var mutation in chosen)
            {
                mutation.Apply(body);
            }

            yield return Send(string.Join(" + ", chosen.Select(m => m.Name)), body.ToString());
        }

        // The same refusals for clients that ask for something other than JSON, or that send an idempotency key.
        var samples = new[]
        {
            Send("truncated JSON", template[..^1]),
            Send("Content-Type text/plain", template, "text/plain"),
            Request(endpoint, "body over 64 KB (Content-Length)", Bodies.Generated(open, 'x', 70_000, announce: true, Bodies.Json)),
            Send(endpoint.Mutations[0].Name, Apply(endpoint, endpoint.Mutations[0])),
            Send("unknown field", endpoint.Template().Raw("hostile", "true").ToString()),
        };
        foreach (var sample in samples)
        {
            foreach (var accept in new[] { "text/html", "application/xml", "text/csv", "image/png", "text/html, application/xhtml+xml, */*;q=0.1" })
            {
                yield return sample.With("Accept", accept, $"Accept {accept}");
            }

            foreach (var key in new[] { "hostile-1", "'; DROP TABLE idempotency_keys; --", Values.Filler(300, 'k') })
            {
                yield return sample.With("Idempotency-Key", key, $"Idempotency-Key {HostileRequest.Shorten(key, 20)}");
            }
        }
    }

    private static HostileRequest Request(JsonEndpoint endpoint, string name, Func<HttpContent?> content, string? path = null) => new()
    {
        Endpoint = endpoint.Endpoint,
        Case = name,
        Method = endpoint.Method,
        Path = path ?? endpoint.Path,
        Content = content,
    };

    private static HostileRequest Put(string endpoint, string name, string path, JsonBody body) => new()
    {
        Endpoint = endpoint,
        Case = name,
        Method = HttpMethod.Put,
        Path = path,
        Content = Bodies.Text(body.ToString()),
    };

    private static string Apply(JsonEndpoint endpoint, Mutation mutation)
    {
        var body = endpoint.Template();
        mutation.Apply(body);
        return body.ToString();
    }

    /// <summary>Puts a raw value in a field, or as the only item of an array field (<c>areas[]</c>).</summary>
    private static JsonBody Inject(JsonBody body, string field, string raw) =>
        field.EndsWith("[]", StringComparison.Ordinal) ? body.Raw(field[..^2], Arr([raw])) : body.Raw(field, raw);

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static IEnumerable<(string Name, string Body)> Malformed(string t)
    {
        var firstKey = t.IndexOf('"', StringComparison.Ordinal);
        var firstKeyEnd = t.IndexOf('"', firstKey + 1);
        return
        [
            ("empty body", ""),
            ("whitespace body", " \r\n\t "),
            ("null", "null"),
            ("array", "[]"),
            ("the body in an array", "[" + t + "]"),
            ("string", "\"hello\""),
            ("number", "42"),
            ("boolean", "true"),
            ("empty object", "{}"),
            ("open brace", "{"),
            ("close brace", "}"),
            ("truncated JSON", t[..^1]),
            ("truncated halfway", t[..(t.Length / 2)]),
            ("truncated in a key", t[..(firstKey + 2)]),
            ("trailing comma", t[..^1] + ",}"),
            ("leading comma", "{," + t[1..]),
            ("double comma", t.Replace(",", ",,", StringComparison.Ordinal)),
            ("block comment", "/* hostile */" + t),
            ("line comment", t[..^1] + "// hostile\n}"),
            ("single quotes", t.Replace('"', '\'')),
            ("unquoted key", t[..firstKey] + t[(firstKey + 1)..firstKeyEnd] + t[(firstKeyEnd + 1)..]),
            ("trailing garbage", t + "x"),
            ("two objects", t + t),
            ("equals instead of colons", t.Replace("\":", "\"=", StringComparison.Ordinal)),
            ("missing colon", t.Replace("\":", "\" ", StringComparison.Ordinal)),
            ("bad escape \\x", "{\"name\":\"\\x41\"}"),
            ("bad escape \\u", t[..^1] + ",\"name\":\"\\uZZZZ\"}"),
            ("lone backslash", t[..^1] + ",\"name\":\"\\\"}"),
            ("raw newline in a string", t[..(firstKey + 1)] + "\n" + t[(firstKey + 1)..]),
            ("NaN body", "NaN"),
            ("JavaScript", "alert(1)"),
            ("XML", "<election><name>x</name></election>"),
            ("nested arrays 100 deep", t[..^1] + ",\"hostile\":" + Values.Nested(100, arrays: true) + "}"),
            ("nested objects 5000 deep", t[..^1] + ",\"hostile\":" + Values.Nested(5000, arrays: false) + "}"),
            ("nested arrays 33 deep as the first value", t[..(firstKeyEnd + 2)] + Values.Nested(33, arrays: true) + "}"),
            ("duplicated key, second value of the wrong type", t[..^1] + "," + t[firstKey..(firstKeyEnd + 1)] + ":12345}"),
            ("duplicated key, second value null", t[..^1] + "," + t[firstKey..(firstKeyEnd + 1)] + ":null}"),
        ];
    }

    // ---------------------------------------------------------------- mutations by kind of field

    private static IEnumerable<Mutation> Each(string field, params IEnumerable<string> raws) =>
        raws.Select(raw => new Mutation(field, $"{field} = {HostileRequest.Shorten(raw, 60)}", b => b.Raw(field, raw)));

    private static IEnumerable<Mutation> Required(string field) =>
    [
        new(field, $"{field} missing", b => b.Remove(field)),
        new(field, $"{field} null", b => b.Raw(field, "null")),
    ];

    /// <summary>A required text field: missing, null, empty, blank, too long, or not a string.</summary>
    private static IEnumerable<Mutation> RequiredText(string field, int? max) =>
    [
        .. Required(field),
        .. Each(field, "\"\"", "\"   \"", "\"\\t\\n\\r\""),
        .. max is { } m ? Each(field, Str(Values.Filler(m + 1)), Str(Values.Filler(m + 1, 'é'))) : [],
        .. Each(field, Values.NotStrings),
    ];

    /// <summary>A count (votes, electors): negative, past its maximum, fractional, overflowing, or not a number.</summary>
    private static IEnumerable<Mutation> Count(string field, long max, bool required) =>
    [
        .. required ? Required(field) : [],
        .. Each(field, Values.NegativeNumbers),
        .. Each(field, Num(max + 1), Num(long.MaxValue)),
        .. Each(field, Values.NotWholeNumbers),
    ];

    private static IEnumerable<Mutation> StringArrayFaults(string field) =>
        Each(field, "\"x\"", "1", "{}", "true", "[1]", "[null]", "[[]]", "[{}]", "[\"\"]", "[\"   \"]", "[true]");

    private static IEnumerable<Mutation> UnknownFields() =>
        new[] { ("winner", "\"Con\""), ("id", "1"), ("$type", "\"System.IO.FileInfo\""), ("$id", "\"1\""), ("$ref", "\"#\""), ("__proto__", "{}"), ("constructor", "{\"prototype\":{}}"), ("name ", "\"x\""), ("nаme", "\"x\""), ("", "1") }
            .Select(f => new Mutation("+" + f.Item1, $"unknown field '{f.Item1}'", b => b.Append(f.Item1, f.Item2)));

    // ---------------------------------------------------------------- paths

    /// <summary>Election and area ids that break the slug rule (lower-case letters, digits, hyphens; at most 64).</summary>
    private static IEnumerable<(string Case, string Path)> SlugPaths(Func<string, string> path, string parameter) =>
    [
        .. new[] { "GE2019", "ge_2019", "-ge2019", "ge%202019", "ge2019.", Values.Filler(65, 'a'), "%C3%BC", "ge%2F2019", "%E2%80%AEge2019", "ge2019%0A", "ge%0A2019" }
            .Select(id => ($"{parameter} = {HostileRequest.Shorten(id, 30)}", path(id))),
        .. Values.PathInjections.Select(i => ($"{parameter} = {Describe(i)}", path(Escape(i)))),
    ];

    /// <summary>Seats that do not exist (404), or, for nominations and declarations, that are declared (409).</summary>
    private static IEnumerable<(string Case, string Path)> SeatPaths(Func<string, string> path) =>
    [
        ("declared seat", path(HostileWorld.DeclaredPath)),
        ("unknown seat", path($"/v1/elections/{E}/constituencies/E99999999")),
        ("unknown election", path($"/v1/elections/nope/constituencies/{HostileWorld.Seat}")),
        ("seat not at that election", path($"/v1/elections/{HostileWorld.DeclaredElection}/constituencies/{HostileWorld.Seat}")),
        ("lower-case seat code", path($"/v1/elections/{E}/constituencies/e99000001")),
        .. Values.PathInjections.Select(i => ($"electionId = {Describe(i)}", path($"/v1/elections/{Escape(i)}/constituencies/{HostileWorld.Seat}"))),
        .. Values.PathInjections.Select(i => ($"code = {Describe(i)}", path($"/v1/elections/{E}/constituencies/{Escape(i)}"))),
    ];

    /// <summary>Candidate ids that are not a candidacy of the seat, or not a number the route accepts.</summary>
    private IEnumerable<(string Case, string Path)> CandidateIdPaths() =>
    [
        .. new[] { "999999999", "0", "-1", "9223372036854775807", "-9223372036854775808", world.DeclaredCandidates[0].ToString(CultureInfo.InvariantCulture) }
            .Select(id => ($"candidateId = {id}", $"{HostileWorld.SeatPath}/candidates/{id}")),
        .. new[] { "abc", "1.5", "9223372036854775808", "1e3", "%20", "0x10", "%EF%BC%91", "1%0A" }
            .Select(id => ($"candidateId = {id} (not a long)", $"{HostileWorld.SeatPath}/candidates/{id}")),
        .. Values.PathInjections.Select(i => ($"candidateId = {Describe(i)}", $"{HostileWorld.SeatPath}/candidates/{Escape(i)}")),
    ];

    public static string Escape(string value) => Uri.EscapeDataString(value);

    public static string Describe(string value) =>
        HostileRequest.Shorten(value.Replace("\u0000", "\\0", StringComparison.Ordinal).Replace("\u202E", "\\u202E", StringComparison.Ordinal), 40);
}
