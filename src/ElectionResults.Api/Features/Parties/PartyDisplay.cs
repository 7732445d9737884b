using System.Globalization;

namespace ElectionResults.Api.Features.Parties;

/// <summary>How a party is labelled and lettered in graphics. Pure functions of its code, name and colour.</summary>
public static class PartyDisplay
{
    /// <summary>The longest <see cref="ShortName"/>.</summary>
    public const int ShortNameMaxLength = 12;

    public const string Black = "#000000";
    public const string White = "#FFFFFF";

    /// <summary>Labels for the parties whose full names are too long or too formal for a chart.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Con"] = "Conservative",
        ["Lab"] = "Labour",
        ["LD"] = "Lib Dem",
        ["UKIP"] = "UKIP",
        ["Green"] = "Green",
        ["SNP"] = "SNP",
        ["PC"] = "Plaid Cymru",
        ["DUP"] = "DUP",
        ["SF"] = "Sinn Féin",
        ["SDLP"] = "SDLP",
        ["UUP"] = "UUP",
        ["Alliance"] = "Alliance",
        ["Spk"] = "Speaker",
        ["Ind"] = "Independent",
        ["Others"] = "Others",
    };

    /// <summary>
    /// A label of at most 12 characters: the usual label of a major party (`Lib Dem`), else the name when it fits,
    /// else the code when it fits, else the name without a leading "The" when it fits, else that cut after its last whole
    /// word that fits, with "…" (or cut hard when even its first word does not fit).
    /// </summary>
    public static string ShortName(string code, string name)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(name);
        if (Labels.TryGetValue(code, out var label))
        {
            return label;
        }

        var trimmed = name.Trim();
        if (trimmed.Length is > 0 and <= ShortNameMaxLength)
        {
            return trimmed;
        }

        if (code.Length is > 0 and <= ShortNameMaxLength)
        {
            return code;
        }

        // "The Yorkshire Party" is labelled from "Yorkshire Party".
        var source = trimmed.Length > 0 ? trimmed : code;
        if (source.StartsWith("The ", StringComparison.OrdinalIgnoreCase))
        {
            source = source[4..].TrimStart();
            if (source.Length <= ShortNameMaxLength)
            {
                return source;
            }
        }

        var room = ShortNameMaxLength - 1;
        var cut = source.LastIndexOf(' ', room);
        var head = (cut > 0 ? source[..cut] : source[..room]).TrimEnd(' ', ',', '.', '-', ':', ';');
        return head + "…";
    }

    /// <summary>
    /// The colour for text on <paramref name="colour"/> (`#RRGGBB`): black or white, whichever contrasts more by the
    /// WCAG 2 contrast ratio (L1 + 0.05) / (L2 + 0.05). One of the two always reaches 4.5:1 (level AA for normal text).
    /// </summary>
    public static string TextColour(string colour) =>
        ContrastRatio(colour, Black) >= ContrastRatio(colour, White) ? Black : White;

    /// <summary>WCAG 2 contrast ratio of two `#RRGGBB` colours, from 1 (same luminance) to 21 (black on white).</summary>
    public static double ContrastRatio(string first, string second)
    {
        var a = RelativeLuminance(first);
        var b = RelativeLuminance(second);
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    /// <summary>
    /// WCAG 2 relative luminance of `#RRGGBB`: 0.2126 R + 0.7152 G + 0.0722 B, each channel c = value / 255 made linear
    /// (c / 12.92 when c ≤ 0.04045, else ((c + 0.055) / 1.055)^2.4).
    /// </summary>
    public static double RelativeLuminance(string colour)
    {
        ArgumentNullException.ThrowIfNull(colour);
        if (colour.Length != 7 || colour[0] != '#' || !int.TryParse(colour.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            throw new ArgumentException("A colour is #RRGGBB.", nameof(colour));
        }

        static double Linear(int channel)
        {
            var c = channel / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Linear((rgb >> 16) & 0xFF)) + (0.7152 * Linear((rgb >> 8) & 0xFF)) + (0.0722 * Linear(rgb & 0xFF));
    }
}
