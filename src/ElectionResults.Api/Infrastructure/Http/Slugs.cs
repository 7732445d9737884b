using System.Text.RegularExpressions;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>Identifier formats shared by routes, validators and the schema's CHECK constraints.</summary>
public static partial class Slugs
{
    /// <summary>Election and area ids: lower-case letters, digits and hyphens, at most 64.</summary>
    public const string Pattern = @"^[a-z0-9][a-z0-9-]{0,63}\z";

    /// <summary>ONS constituency codes such as E14000810.</summary>
    public const string ConstituencyPattern = @"^[A-Z][0-9]{8}\z";

    [GeneratedRegex(Pattern)]
    public static partial Regex Slug();

    [GeneratedRegex(ConstituencyPattern)]
    public static partial Regex ConstituencyCode();
}
