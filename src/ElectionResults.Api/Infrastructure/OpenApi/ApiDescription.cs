namespace ElectionResults.Api.Infrastructure.OpenApi;

/// <summary>The introduction a graphics developer reads first in Swagger UI.</summary>
internal static class ApiDescription
{
    public const string Text = """
        Results of UK Westminster elections (first past the post) as they are declared, for newsroom graphics and results desks.

        **Reading.** Every GET is public (unless reads are configured as private) and sends a strong `ETag`; send it back in
        `If-None-Match` and an unchanged document costs a `304 Not Modified` with no body. Any write changes the ETag of every
        document it affects. The hot documents (elections, tallies, areas, constituency lists and documents) are served from
        memory, gzip or brotli when `Accept-Encoding` allows, with `Cache-Control: public, max-age=1`; a write on any instance
        reaches every instance within milliseconds. JSON is camelCase; every documented field is always present (`null` when
        unknown). A party's code is `party` in every document and its display name `partyName` (with `shortName`, `colour` and
        `textColour` wherever graphics draw the party). Constituency lists and tallies are also served as CSV with `Accept: text/csv`
        or `?format=csv`, and every candidate's result as CSV at `.../results`; a document without a CSV form answers a client
        that takes only CSV with 406.

        **Polling.** Poll the documents you draw every 2–5 seconds with `If-None-Match`, or hold a long poll on
        `/v1/elections/{electionId}/changes?since={cursor}&wait=30`, or subscribe to `/v1/elections/{electionId}/events`
        (server-sent events), then fetch what changed. Anonymous reads are rate-limited per client address (generously, and
        conditional requests have their own larger allowance); a refused request gets 429 with `Retry-After`. Every counted
        response says where the client stands: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and
        `RateLimit-Policy` (`{limit};w={seconds}`).

        **Writing.** Writes need an `X-Api-Key` with a role: `admin` (keys, elections, parties, areas, constituencies, imports)
        or `results-entry` (nominations, declarations, corrections). A declaration may carry an `Idempotency-Key` so that a retry
        returns the first answer. Writes are rate-limited per key.

        **Figures** are computed by the server from the stored votes:
        - *valid votes* = sum of the candidates' votes; *share* = votes / valid votes.
        - *majority* = winner's votes − runner-up's votes; *majority %* = majority / valid votes.
        - *turnout* = valid votes / electorate (House of Commons Library definition); *ballotTurnout* = (valid + invalid) / electorate.
        - *share change* = share − the same party's share in that constituency at the previous election (`previousElectionId`), in percentage points.
        - *result*: `Con gain from Lab` when the winner's party differs from the previous election's winner there, else `Lab hold` (the Speaker's seat is `Spk hold`); `Con win` when there is no previous result; `Tie between Con and Lab` when first place is tied (never silently broken).
        - *swing* (Butler) between the two leading parties: ((A now − A before) − (B now − B before)) / 2 in share points, labelled with those points to one decimal (`2.5% from Lab to Con` for 2.45); for an area, over its declared seats that polled at both elections.
        - *tally* (state of the parties): seats won, gains, losses, net, votes, share and share change over the **declared** seats, seats declared of total, and the majority line floor(seats/2)+1 (326 of 650).
        Percentages are numbers from 0 to 100 rounded to two decimal places (half away from zero), computed from exact fractions;
        changes (share change, swing) are differences of percentages, in percentage points, also to two decimal places.

        **History is kept.** A declaration is a revision; a correction or recount adds a revision and every revision stays readable
        at `.../revisions`. A correction must send `If-Match` with the constituency document's current ETag: a stale tag gets 412.

        **Errors** are RFC 9457 problem details (`application/problem+json`); a rejected write changes nothing.

        Contains Parliamentary information licensed under the Open Parliament Licence v3.0 and public sector information
        licensed under the Open Government Licence v3.0.
        """;
}
