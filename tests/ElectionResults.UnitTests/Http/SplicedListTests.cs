using System.Text;
using ElectionResults.Api.Features.Baselines;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Infrastructure.Http;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ElectionResults.UnitTests.Http;

/// <summary>
/// A list spliced from items serialised one by one must be byte for byte the list serialised whole: the ETag a client
/// holds is the hash of those bytes.
/// </summary>
public class SplicedListTests
{
    private static readonly DocumentSerializer Documents = Serializer();

    private static ConstituencySummary Summary(int i) => new(
        $"E1400{i:0000}", i % 2 == 0 ? "Mansfield" : "Ashfield \"North\" & <South>", i % 3 == 0 ? "notDeclared" : "declared", i % 3 == 0 ? null : 2,
        i % 3 == 0 ? null : new DateTimeOffset(2017, 6, 9, 3, 17, 0, TimeSpan.FromHours(1)),
        i % 3 == 0 ? null : new WinnerResponse("Ben Bradley", "Con", "Conservative", "Conservative", "#0087DC", "#000000"), 1057, "Con gain from Lab", true, "Lab",
        null);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void The_spliced_list_is_the_whole_list_serialised(int count)
    {
        var summaries = Enumerable.Range(0, count).Select(Summary).ToArray();
        var whole = new ConstituencyListResponse("ge2017", false, new BaselineResponse("ge2015", false), summaries)
        {
            AsOf = count == 7 ? new DateTimeOffset(2017, 6, 9, 1, 0, 0, TimeSpan.Zero) : null,
        };

        var spliced = Documents.RenderList(whole with { Constituencies = [] }, "constituencies", summaries.Select(Documents.SerializeItem).ToArray());

        Assert.Equal(Encoding.UTF8.GetString(Documents.Serialize(whole)), Encoding.UTF8.GetString(spliced.ToArray()));
        Assert.Equal(Documents.Render(whole).ETag, spliced.ETag);
    }

    [Fact]
    public void A_document_without_the_empty_list_is_refused()
    {
        var document = new ConstituencyListResponse("ge2017", false, null, [Summary(1)]);
        Assert.Throws<InvalidOperationException>(() => Documents.RenderList(document, "constituencies", []));
    }

    [Fact]
    public void Csv_rows_joined_are_the_csv_rendered_whole()
    {
        string[] header = ["code", "name", "votes", "at"];
        object?[][] rows =
        [
            ["E14000810", "Mansfield", 23392L, new DateTimeOffset(2017, 6, 9, 3, 17, 0, TimeSpan.Zero)],
            ["E14000001", "Comma, \"quoted\"\nand a line", null, null],
        ];

        var joined = Csv.FromRows(Csv.Row(header), rows.Select(r => Csv.Row(r)));

        Assert.Equal(
            "code,name,votes,at\r\nE14000810,Mansfield,23392,2017-06-09T03:17:00+00:00\r\nE14000001,\"Comma, \"\"quoted\"\"\nand a line\",,\r\n",
            Encoding.UTF8.GetString(joined.ToArray()));
        Assert.Equal(Csv.Render(header, rows).ETag, joined.ETag);
    }

    private static DocumentSerializer Serializer()
    {
        var options = new JsonOptions();
        JsonSetup.Configure(options.SerializerOptions);
        return new DocumentSerializer(Options.Create(options));
    }
}
