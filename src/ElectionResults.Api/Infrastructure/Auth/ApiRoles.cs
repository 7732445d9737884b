namespace ElectionResults.Api.Infrastructure.Auth;

/// <summary>
/// What an API key may do. Each role includes the ones below it: <c>admin</c> ⊃ <c>results-entry</c> ⊃ <c>reader</c>.
/// </summary>
public static class ApiRoles
{
    /// <summary>Keys, elections, parties, areas, constituencies and imports (and everything below).</summary>
    public const string Admin = "admin";

    /// <summary>Nominations, declarations and corrections (and reading).</summary>
    public const string ResultsEntry = "results-entry";

    /// <summary>Reading, when reads are configured as private (<c>Auth__PublicReads=false</c>).</summary>
    public const string Reader = "reader";

    public static readonly string[] All = [Admin, ResultsEntry, Reader];

    public static bool Satisfies(string held, string required) => Rank(held) >= Rank(required);

    private static int Rank(string role) => role switch
    {
        Admin => 3,
        ResultsEntry => 2,
        Reader => 1,
        _ => 0,
    };
}

/// <summary>A key as stored: its name (recorded on revisions), role and scope (<see cref="ApiScopes"/>).</summary>
public sealed record ApiIdentity(string Name, string Role, string Scope = ApiScopes.All);

/// <summary>
/// Which elections a key may write to: <c>live</c> (elections that are not test data), <c>test</c> (rehearsals alone: test
/// elections, nothing shared with the live night such as parties or keys) or <c>all</c> (the default).
/// </summary>
public static class ApiScopes
{
    public const string Live = "live";
    public const string Test = "test";
    public const string All = "all";

    public static readonly string[] Every = [Live, Test, All];

    /// <summary>
    /// Whether a key of <paramref name="scope"/> may write to an election that is test data (<paramref name="isTest"/>), or,
    /// when <paramref name="isTest"/> is null, to something outside any existing election.
    /// </summary>
    public static bool Allows(string scope, bool? isTest) => scope switch
    {
        All => true,
        Live => isTest != true,
        Test => isTest == true,
        _ => false,
    };
}

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The bootstrap admin key (<c>Auth__AdminKey</c>), named <c>admin</c>. Writes need a key; without this one, only keys created through it exist.</summary>
    public string? AdminKey { get; set; }

    /// <summary>True (the default): every GET is public. False: GETs need a key of any role.</summary>
    public bool PublicReads { get; set; } = true;
}
