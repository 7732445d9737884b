using System.Runtime.CompilerServices;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// The bytes of a list document joined from its items (kept per seat: <see cref="ElectionSnapshot.Fragment"/>) without
/// making one array of the whole list. A long list is kept as blocks of <see cref="ItemsPerBlock"/> items, and a block
/// whose items are the very same arrays as in an earlier rendering is that rendering's block: after a declaration, a list
/// of 6,500 seats makes one new block of 64 items (about 23 kB) and shares the other hundred. No block reaches the
/// large-object heap, so a night of declarations does not drive full garbage collections.
/// </summary>
/// <remarks>
/// A block is found again by its first item (weakly: it lives as long as that item, which lives as long as the seat's state)
/// and used only when all its items are the same arrays, in the same order, with the same separator, at the start of the
/// list or not (a block after the first is led by the separator, so the segments are joined as they are). Blocks start every
/// <see cref="ItemsPerBlock"/> items from the start of the list, so a declaration, which replaces one item, leaves the other
/// blocks' items where they were. A list shorter than <see cref="SegmentFrom"/> bytes is joined into one array as before.
/// </remarks>
public static class ListBlocks
{
    /// <summary>The items in a block: 64 summaries of about 360 bytes, far below the 85,000 bytes of a large object.</summary>
    public const int ItemsPerBlock = 64;

    /// <summary>Lists shorter than this are one array: the hot path sends one array as it is.</summary>
    public const int SegmentFrom = 64 * 1024;

    private static readonly ConditionalWeakTable<byte[], Block> BlocksByFirstItem = new();

    /// <summary>A block's items, the separator between them, and its bytes: led by the separator unless it starts the list.</summary>
    private sealed record Block(byte[][] Items, byte[] Separator, bool Leading, byte[] Bytes);

    /// <summary>
    /// The segments of <paramref name="prefix"/>, the <paramref name="items"/> with <paramref name="separator"/> between each
    /// two, and <paramref name="suffix"/>: one array when the whole is short, else blocks shared with earlier renderings.
    /// </summary>
    public static IReadOnlyList<byte[]> Join(byte[] prefix, IReadOnlyList<byte[]> items, byte[] separator, byte[] suffix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(separator);
        ArgumentNullException.ThrowIfNull(suffix);
        long length = prefix.Length + suffix.Length + ((long)separator.Length * Math.Max(0, items.Count - 1));
        foreach (var item in items)
        {
            length += item.Length;
        }

        if (length < SegmentFrom)
        {
            return [Concatenate(prefix, items, 0, items.Count, separator, suffix, (int)length)];
        }

        var segments = new List<byte[]>((items.Count / ItemsPerBlock) + 3) { prefix };
        for (var start = 0; start < items.Count; start += ItemsPerBlock)
        {
            segments.Add(BlockOf(items, start, Math.Min(ItemsPerBlock, items.Count - start), separator));
        }

        if (suffix.Length > 0)
        {
            segments.Add(suffix);
        }

        return segments;
    }

    private static byte[] BlockOf(IReadOnlyList<byte[]> items, int start, int count, byte[] separator)
    {
        var leading = start > 0;
        if (BlocksByFirstItem.TryGetValue(items[start], out var kept) && kept.Separator == separator && kept.Leading == leading
            && Same(kept.Items, items, start, count))
        {
            return kept.Bytes;
        }

        var members = new byte[count][];
        var length = separator.Length * (leading ? count : count - 1);
        for (var i = 0; i < count; i++)
        {
            members[i] = items[start + i];
            length += members[i].Length;
        }

        var bytes = Concatenate(leading ? separator : [], items, start, count, separator, [], length);
        BlocksByFirstItem.AddOrUpdate(items[start], new Block(members, separator, leading, bytes));
        return bytes;
    }

    /// <summary>True when <paramref name="kept"/> are the very arrays of the <paramref name="count"/> items from <paramref name="start"/>.</summary>
    private static bool Same(byte[][] kept, IReadOnlyList<byte[]> items, int start, int count)
    {
        if (kept.Length != count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!ReferenceEquals(kept[i], items[start + i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Concatenate(byte[] prefix, IReadOnlyList<byte[]> items, int start, int count, byte[] separator, byte[] suffix, int length)
    {
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        prefix.CopyTo(span);
        var at = prefix.Length;
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                separator.CopyTo(span[at..]);
                at += separator.Length;
            }

            var item = items[start + i];
            item.CopyTo(span[at..]);
            at += item.Length;
        }

        suffix.CopyTo(span[at..]);
        return bytes;
    }
}
