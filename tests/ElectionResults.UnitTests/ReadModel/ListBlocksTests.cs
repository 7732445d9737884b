using System.Text;
using ElectionResults.Api.Features.Baselines;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.ReadModel;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ElectionResults.UnitTests.ReadModel;

/// <summary>
/// A long list is kept in blocks of items: its bytes are exactly the list serialised whole (and so is its ETag), no block is
/// a large object, and a rendering after one item changed makes one new block and shares every other.
/// </summary>
public class ListBlocksTests
{
    private static readonly DocumentSerializer Documents = Serializer();

    /// <summary>Above the 85,000 bytes from which .NET puts an array on the large-object heap.</summary>
    private const int LargeObject = 85_000;

    private static ConstituencySummary Summary(int i, string status = "declared") => new(
        $"E1{i:00000000}", $"Seat {i} \"North\" & <South>", status, status == "notDeclared" ? null : 1,
        status == "notDeclared" ? null : new DateTimeOffset(2026, 5, 8, 3, 17, 0, TimeSpan.FromHours(1)),
        status == "notDeclared" ? null : new WinnerResponse("Ann Example", "Con", "Conservative", "Conservative", "#0087DC", "#000000"), 1000 + i,
        "Con hold", false, "Con", null);

    private static ConstituencyListResponse List(IEnumerable<ConstituencySummary> summaries) =>
        new("synth-01", true, new BaselineResponse("synth-00", false), [.. summaries]);

    [Fact]
    public void A_long_list_in_blocks_is_the_list_serialised_whole_and_has_its_etag()
    {
        var summaries = Enumerable.Range(0, 1_000).Select(i => Summary(i)).ToArray();
        var items = summaries.Select(Documents.SerializeItem).ToArray();

        var spliced = Documents.RenderList(List([]), "constituencies", items);

        var whole = Documents.Render(List(summaries));
        Assert.True(whole.Length > 4 * ListBlocks.SegmentFrom, $"the list is {whole.Length} bytes");
        Assert.Equal(whole.ToArray(), spliced.ToArray());
        Assert.Equal(whole.ETag, spliced.ETag);
        Assert.Equal(whole.Length, spliced.Length);
        // The document's opening, 16 blocks of 64 items (the last of 40), its closing.
        Assert.Equal(1 + 16 + 1, spliced.Segments.Count);
        Assert.All(spliced.Segments, segment => Assert.InRange(segment.Length, 1, LargeObject - 1));
        // The compressed forms are of the same bytes.
        Assert.Equal(whole.ToArray(), Gunzip(spliced.Gzip));
    }

    [Fact]
    public void After_one_item_changes_one_block_is_new_and_every_other_is_shared()
    {
        var items = Enumerable.Range(0, 1_000).Select(i => Documents.SerializeItem(Summary(i))).ToArray();
        var before = Documents.RenderList(List([]), "constituencies", items);

        var changed = (byte[][])items.Clone();
        changed[700] = Documents.SerializeItem(Summary(700, "recount"));
        var after = Documents.RenderList(List([]), "constituencies", changed);

        Assert.Equal(before.Segments.Count, after.Segments.Count);
        var renewed = Enumerable.Range(0, after.Segments.Count).Where(i => !ReferenceEquals(before.Segments[i], after.Segments[i])).ToArray();
        // The prefix and suffix are cut from the empty document each time; of the blocks, only the one holding item 700 is new.
        var blocks = renewed.Where(i => i != 0 && i != after.Segments.Count - 1).ToArray();
        Assert.Single(blocks);
        Assert.Contains("recount", Encoding.UTF8.GetString(after.Segments[blocks[0]]), StringComparison.Ordinal);
        Assert.DoesNotContain("recount", Encoding.UTF8.GetString(before.Segments[blocks[0]]), StringComparison.Ordinal);
        var summaries = Enumerable.Range(0, 1_000).Select(i => Summary(i, i == 700 ? "recount" : "declared"));
        Assert.Equal(Documents.Render(List(summaries)).ToArray(), after.ToArray());
        Assert.NotEqual(before.ETag, after.ETag);
    }

    [Fact]
    public void A_block_is_not_taken_for_a_list_where_its_items_are_not_all_the_same()
    {
        var items = Enumerable.Range(0, 300).Select(i => Documents.SerializeItem(Summary(i))).ToArray();
        var full = Documents.RenderList(List([]), "constituencies", items);

        // The same first item, but the list ends inside its block, or one item is missing from it, or the block that was
        // the second (led by a comma) now starts the list.
        var shorter = Documents.RenderList(List([]), "constituencies", items[..150]);
        var without = Documents.RenderList(List([]), "constituencies", [.. items.Where((_, i) => i != 10)]);
        var later = Documents.RenderList(List([]), "constituencies", items[ListBlocks.ItemsPerBlock..]);

        Assert.Equal(Documents.Render(List(Enumerable.Range(0, 150).Select(i => Summary(i)))).ToArray(), shorter.ToArray());
        Assert.Equal(Documents.Render(List(Enumerable.Range(0, 300).Where(i => i != 10).Select(i => Summary(i)))).ToArray(), without.ToArray());
        Assert.True(later.Segments.Count > 1, "the shorter list is in blocks too");
        Assert.Equal(Documents.Render(List(Enumerable.Range(ListBlocks.ItemsPerBlock, 300 - ListBlocks.ItemsPerBlock).Select(i => Summary(i)))).ToArray(), later.ToArray());
        // And the full list, rendered again after them, is still itself.
        Assert.Equal(full.ToArray(), Documents.RenderList(List([]), "constituencies", items).ToArray());
    }

    [Fact]
    public void A_short_list_is_one_array()
    {
        var items = Enumerable.Range(0, 20).Select(i => Documents.SerializeItem(Summary(i))).ToArray();

        var spliced = Documents.RenderList(List([]), "constituencies", items);

        Assert.Single(spliced.Segments);
        Assert.Equal(Documents.Render(List(Enumerable.Range(0, 20).Select(i => Summary(i)))).ToArray(), spliced.ToArray());
    }

    [Fact]
    public void A_long_csv_shares_its_blocks_of_rows_too()
    {
        var rows = Enumerable.Range(0, 2_000).Select(i => Csv.Row([$"E1{i:00000000}", $"Seat {i}, \"quoted\"", 1000 + i])).ToArray();
        var header = Csv.Row(["code", "name", "majority"]);
        var before = Csv.FromRows(header, rows);
        rows[5] = Csv.Row(["E100000005", "Seat 5, renamed", 1]);
        var after = Csv.FromRows(header, rows);

        Assert.Equal([.. header, .. rows.SelectMany(r => r)], after.ToArray());
        Assert.Equal(EntityTag.ForContent([.. header, .. rows.SelectMany(r => r)]), after.ETag);
        Assert.Equal(1, Enumerable.Range(1, after.Segments.Count - 1).Count(i => !ReferenceEquals(before.Segments[i], after.Segments[i])));
        Assert.All(after.Segments, segment => Assert.True(segment.Length < LargeObject));
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static DocumentSerializer Serializer()
    {
        var options = new JsonOptions();
        JsonSetup.Configure(options.SerializerOptions);
        return new DocumentSerializer(Options.Create(options));
    }
}
