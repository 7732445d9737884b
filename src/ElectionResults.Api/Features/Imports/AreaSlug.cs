using System.Text;

namespace ElectionResults.Api.Features.Imports;

/// <summary>
/// Area ids made from the names in a file: lower case, letters and digits, words joined by hyphens,
/// accents dropped ("Yorkshire and The Humber" → <c>yorkshire-and-the-humber</c>, "Ynys Môn" → <c>ynys-mon</c>),
/// at most 64 characters (the schema's limit).
/// </summary>
public static class AreaSlug
{
    private const int MaxLength = 64;

    // Accented Latin letters that occur in UK place names, folded by hand: string.Normalize does not
    // decompose under InvariantGlobalization.
    private const string Accented = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿŵŷ";
    private const string Plain = "aaaaaaceeeeiiiinoooooouuuuyywy";

    /// <summary>The slug of <paramref name="name"/>, or an empty string when it has no letters or digits.</summary>
    public static string From(string name)
    {
        var slug = new StringBuilder(name.Length);
        var pendingHyphen = false;
        foreach (var raw in name.ToLowerInvariant())
        {
            var c = raw;
            var accent = Accented.IndexOf(c, StringComparison.Ordinal);
            if (accent >= 0)
            {
                c = Plain[accent];
            }

            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingHyphen && slug.Length > 0)
                {
                    slug.Append('-');
                }

                pendingHyphen = false;
                slug.Append(c);
            }
            else if (c != '\'' && c != '\u2019')
            {
                // Apostrophes vanish ("King's Lynn" → kings-lynn); anything else separates words.
                pendingHyphen = true;
            }
        }

        var text = slug.Length > MaxLength ? slug.ToString(0, MaxLength) : slug.ToString();
        return text.TrimEnd('-');
    }
}
