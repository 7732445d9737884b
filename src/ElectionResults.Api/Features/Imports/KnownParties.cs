namespace ElectionResults.Api.Features.Imports;

/// <summary>
/// Names and colours for the parties graphics show, keyed by the Library's abbreviation (the same as the
/// demo data). An import creates a missing party from this list, or else with the file's party name and
/// a neutral grey; it never changes a party that already exists.
/// </summary>
public static class KnownParties
{
    public const string OtherColour = "#999999";

    private static readonly Dictionary<string, (string Name, string Colour)> Parties = new(StringComparer.Ordinal)
    {
        ["Con"] = ("Conservative", "#0087DC"),
        // The Library writes "Labour and Co-operative" for joint candidates; they sit as Labour.
        ["Lab"] = ("Labour", "#E4003B"),
        ["LD"] = ("Liberal Democrat", "#FAA61A"),
        ["UKIP"] = ("UK Independence Party", "#70147A"),
        ["Green"] = ("Green Party", "#02A95B"),
        ["SNP"] = ("Scottish National Party", "#FDF38E"),
        ["PC"] = ("Plaid Cymru", "#005B54"),
        ["DUP"] = ("Democratic Unionist Party", "#D46A4C"),
        ["SF"] = ("Sinn Féin", "#326760"),
        ["SDLP"] = ("Social Democratic and Labour Party", "#2AA82C"),
        ["UUP"] = ("Ulster Unionist Party", "#48A5EE"),
        ["Alliance"] = ("Alliance Party", "#F6CB2F"),
        ["Brexit"] = ("Brexit Party", "#12B6CF"),
        ["RUK"] = ("Reform UK", "#12B6CF"),
        ["TUV"] = ("Traditional Unionist Voice", "#0C3A6A"),
        ["Spk"] = ("Speaker", "#6E6E6E"),
        ["Ind"] = ("Independent", "#B0B0B0"),
    };

    /// <summary>
    /// Abbreviations the Library's later files write for a party that has a code already: the 2019 constituency file and the
    /// 2024 files write "APNI" for the Alliance Party, "Alliance" in the 2015-2019 candidate files.
    /// </summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["APNI"] = "Alliance",
    };

    /// <summary>Ballot-paper descriptions that the Library's party_name implies beyond the party code: (code, file name) to description.</summary>
    private static readonly Dictionary<(string Code, string FileName), string> Descriptions = new()
    {
        [("Lab", "Labour and Co-operative")] = "Labour and Co-operative Party",
    };

    /// <summary>
    /// The candidacy's ballot-paper description implied by the file's party_name, when it says more than the party
    /// ("Labour and Co-operative" for Lab gives "Labour and Co-operative Party"); null otherwise. The party stays the code.
    /// </summary>
    public static string? Description(string code, string fileName) =>
        Descriptions.TryGetValue((code, fileName.Trim()), out var description) ? description : null;

    /// <summary>The width of the Library's party_abbreviation column: a longer abbreviation is cut to it ("Common Goo").</summary>
    public const int LibraryAbbreviationWidth = 10;

    /// <summary>The longest code <see cref="Code"/> makes from a name.</summary>
    public const int MaxMadeCodeLength = 60;

    /// <summary>
    /// The party code for the Library's party_abbreviation and party_name. The abbreviation is the code when it is one: a
    /// known code (`Con`, `Green`, `Alliance` …) or a real abbreviation (`TUSC`, `Eng Dem`). Where the Library had none, it
    /// writes the party's name instead ("Christian Party, Proclaiming Christ's Lordship") or the name cut to 10 characters
    /// ("Common Goo" for "Common Good Party", "Comm Leagu" for "Communist League Election Campaign"); the code is then made
    /// from the name, in lower case with hyphens (`christian-party-proclaiming-christs-lordship`, `common-good-party`), so
    /// that it is the same in every file that names the party and the name stays the party's name.
    /// </summary>
    public static string Code(string abbreviation, string name)
    {
        ArgumentNullException.ThrowIfNull(abbreviation);
        ArgumentNullException.ThrowIfNull(name);
        var code = abbreviation.Trim();
        var full = name.Trim();
        if (Aliases.TryGetValue(code, out var alias))
        {
            return alias;
        }

        if (Parties.ContainsKey(code) || full.Length == 0)
        {
            return code;
        }

        var isName = string.Equals(code, full, StringComparison.OrdinalIgnoreCase);
        if (!isName && !IsCut(code, full))
        {
            return code;
        }

        var made = AreaSlug.From(full);
        made = made.Length > MaxMadeCodeLength ? made[..MaxMadeCodeLength].TrimEnd('-') : made;
        return made.Length == 0 ? code : made;
    }

    /// <summary>True when the abbreviation is the name cut at the column's width: its last word begins a longer word of the name.</summary>
    private static bool IsCut(string abbreviation, string name)
    {
        if (abbreviation.Length != LibraryAbbreviationWidth)
        {
            return false;
        }

        var last = abbreviation.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        return name.Split([' ', ',', '-'], StringSplitOptions.RemoveEmptyEntries)
            .Any(word => word.Length > last.Length && word.StartsWith(last, StringComparison.OrdinalIgnoreCase))
            && !name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(last, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The name and colour a new party with this code gets; <paramref name="fileName"/> is the file's party_name.</summary>
    public static (string Name, string Colour) For(string code, string fileName) =>
        Parties.TryGetValue(code, out var known) ? known : (string.IsNullOrWhiteSpace(fileName) ? code : fileName, OtherColour);
}
