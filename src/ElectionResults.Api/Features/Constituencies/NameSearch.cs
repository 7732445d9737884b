using ElectionResults.Api.Features.Imports;

namespace ElectionResults.Api.Features.Constituencies;

/// <summary>
/// Constituency name search: a name matches when the words of the search begin consecutive words of the name,
/// compared as slugs (lower case, accents folded, punctuation between words ignored). "derby" finds "Derby North",
/// "Mid Derbyshire" and "Liverpool, West Derby"; "ynys mo" finds "Ynys Môn"; "erby" finds nothing.
/// </summary>
public static class NameSearch
{
    public const int MaxLength = 100;

    /// <summary>The folded form of a search or a name ("Liverpool, West Derby" → <c>liverpool-west-derby</c>); empty when it has no letter or digit.</summary>
    public static string Key(string text) => AreaSlug.From(text.Length > MaxLength ? text[..MaxLength] : text);

    /// <summary>True when <paramref name="searchKey"/> (from <see cref="Key"/>) begins at a word boundary of <paramref name="name"/>.</summary>
    public static bool Matches(string name, string searchKey)
    {
        var key = AreaSlug.From(name);
        return key.StartsWith(searchKey, StringComparison.Ordinal) || key.Contains("-" + searchKey, StringComparison.Ordinal);
    }
}
