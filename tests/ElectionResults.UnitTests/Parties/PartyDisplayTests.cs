using ElectionResults.Api.Features.Parties;

namespace ElectionResults.UnitTests.Parties;

public class PartyDisplayTests
{
    [Theory]
    [InlineData("#FFFFFF", 1.0)]
    [InlineData("#000000", 0.0)]
    // Con blue: R 0; G 0x87 = 135 → 0.5294 → ((0.5294 + 0.055) / 1.055)^2.4 = 0.2423; B 0xDC = 220 → 0.8627 → 0.7157.
    // L = 0.7152 × 0.2423 + 0.0722 × 0.7157 = 0.2250.
    [InlineData("#0087DC", 0.2250)]
    // Lab red: R 0xE4 = 228 → 0.8941 → 0.7758; G 0; B 0x3B = 59 → 0.2314 → 0.0438. L = 0.2126 × 0.7758 + 0.0722 × 0.0438 = 0.1681.
    [InlineData("#E4003B", 0.1681)]
    // A channel at or below 0.04045 is divided by 12.92: 10 / 255 = 0.0392 → 0.003035, × 0.2126 = 0.000645.
    [InlineData("#0A0000", 0.000645)]
    public void Relative_luminance_follows_WCAG_2(string colour, double expected) =>
        Assert.Equal(expected, PartyDisplay.RelativeLuminance(colour), 4);

    [Fact]
    public void Black_on_white_is_21_to_1() =>
        Assert.Equal(21.0, PartyDisplay.ContrastRatio("#000000", "#FFFFFF"), 6);

    [Theory]
    // Con blue: with black (0.2250 + 0.05) / 0.05 = 5.50, with white 1.05 / 0.2750 = 3.82: black.
    [InlineData("#0087DC", "#000000", 5.50)]
    // Lab red: with white 1.05 / 0.2181 = 4.81, with black 0.2181 / 0.05 = 4.36: white.
    [InlineData("#E4003B", "#FFFFFF", 4.81)]
    [InlineData("#FDF38E", "#000000", 18.39)] // SNP yellow
    [InlineData("#005B54", "#FFFFFF", 8.00)]  // Plaid Cymru green
    [InlineData("#999999", "#000000", 7.37)]  // the grey of other parties
    public void Text_colour_is_the_one_with_the_higher_contrast(string colour, string text, double ratio)
    {
        Assert.Equal(text, PartyDisplay.TextColour(colour));
        Assert.Equal(ratio, PartyDisplay.ContrastRatio(colour, text), 2);
    }

    [Fact]
    public void The_text_colour_always_meets_AA_for_normal_text()
    {
        for (var r = 0; r < 256; r += 17)
        {
            for (var g = 0; g < 256; g += 17)
            {
                for (var b = 0; b < 256; b += 17)
                {
                    var colour = $"#{r:X2}{g:X2}{b:X2}";
                    Assert.True(PartyDisplay.ContrastRatio(colour, PartyDisplay.TextColour(colour)) >= 4.5, colour);
                }
            }
        }
    }

    [Theory]
    [InlineData("rgb(0,0,0)")]
    [InlineData("#12345")]
    [InlineData("#GGGGGG")]
    public void A_colour_that_is_not_RRGGBB_is_refused(string colour) =>
        Assert.Throws<ArgumentException>(() => PartyDisplay.RelativeLuminance(colour));

    [Theory]
    [InlineData("Con", "Conservative", "Conservative")]
    [InlineData("LD", "Liberal Democrat", "Lib Dem")]
    [InlineData("SNP", "Scottish National Party", "SNP")]
    [InlineData("PC", "Plaid Cymru", "Plaid Cymru")]
    [InlineData("patria", "Patria", "Patria")]                                           // the name fits
    [InlineData("TUSC", "Trade Unionist and Socialist Coalition", "TUSC")]              // else the code
    [InlineData("Eng Dem", "English Democrats", "Eng Dem")]
    [InlineData("christian-party-proclaiming-christs-lordship", "Christian Party, Proclaiming Christ's Lordship", "Christian…")] // else the name cut at a word
    [InlineData("the-whig-party", "The Whig Party", "Whig Party")]                    // without "The"
    [InlineData("the-yorkshire-party", "The Yorkshire Party", "Yorkshire…")]
    [InlineData("abcdefghijklmnopq", "Abcdefghijklmnopq", "Abcdefghijk…")]           // one long word is cut hard
    public void Short_names_fit_in_12_characters(string code, string name, string expected)
    {
        var label = PartyDisplay.ShortName(code, name);
        Assert.Equal(expected, label);
        Assert.True(label.Length <= PartyDisplay.ShortNameMaxLength);
    }
}
