using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;

namespace ElectionResults.Api.ReadModel;

/// <summary>How two entity tags are compared (RFC 9110 §8.8.3.2).</summary>
public enum EntityTagComparison
{
    /// <summary>Equal opaque tags, weak or not: If-None-Match (is the client's copy current?).</summary>
    Weak,

    /// <summary>Equal opaque tags, neither weak: If-Match (is the client changing what it saw?).</summary>
    Strong,
}

/// <summary>
/// An entity tag: an opaque string, weak or strong, as sent in <c>ETag</c>, <c>If-Match</c> and <c>If-None-Match</c>.
/// The service's own tags are strong: a hash of the exact bytes (<see cref="ForContent(ReadOnlySpan{byte})"/>), suffixed per content coding
/// (<c>"…-gz"</c>, <c>"…-br"</c>) because a strong tag must differ between codings. Every comparison in the service is
/// <see cref="Matches(EntityTag, EntityTagComparison)"/>, and it takes a coded tag to name the same content as the plain
/// one: the client holds the same document whichever coding carried it.
/// </summary>
public readonly record struct EntityTag
{
    /// <summary>The suffix of a gzip-coded representation's tag.</summary>
    public const string GzipCoding = "gz";

    /// <summary>The suffix of a brotli-coded representation's tag.</summary>
    public const string BrotliCoding = "br";

    private readonly string _text;

    public EntityTag(string opaque, bool isWeak = false)
    {
        ArgumentNullException.ThrowIfNull(opaque);
        if (opaque.Contains('"', StringComparison.Ordinal))
        {
            throw new ArgumentException("An entity tag has no double quote in it.", nameof(opaque));
        }

        Opaque = opaque;
        IsWeak = isWeak;
        _text = (isWeak ? "W/\"" : "\"") + opaque + "\"";
    }

    /// <summary>The tag without quotes and without <c>W/</c>.</summary>
    public string Opaque { get; }

    public bool IsWeak { get; }

    /// <summary>The strong tag of a representation: the first 18 bytes of its SHA-256, base64url (24 characters).</summary>
    public static EntityTag ForContent(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return FromHash(hash);
    }

    /// <summary>The same tag as <see cref="ForContent(ReadOnlySpan{byte})"/> of the segments joined, without joining them.</summary>
    public static EntityTag ForContent(IReadOnlyList<byte[]> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 1)
        {
            return ForContent(segments[0]);
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in segments)
        {
            sha.AppendData(segment);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha.GetHashAndReset(hash);
        return FromHash(hash);
    }

    private static EntityTag FromHash(ReadOnlySpan<byte> hash) => new(Convert.ToBase64String(hash[..18]).Replace('+', '-').Replace('/', '_'));

    /// <summary>The tag of the same content sent with a content coding (<see cref="GzipCoding"/>, <see cref="BrotliCoding"/>).</summary>
    public EntityTag WithCoding(string coding) => new(Opaque + "-" + coding, IsWeak);

    /// <summary>As sent in a header: <c>"opaque"</c> or <c>W/"opaque"</c>.</summary>
    public override string ToString() => _text ?? "\"\"";

    /// <summary>Reads one tag (<c>"x"</c> or <c>W/"x"</c>, surrounding spaces allowed); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out EntityTag tag)
    {
        tag = default;
        var rest = text.Trim();
        if (!TryRead(ref rest, out var opaque, out var weak) || !rest.Trim().IsEmpty)
        {
            return false;
        }

        tag = new EntityTag(opaque.ToString(), weak);
        return true;
    }

    /// <summary>True when both tags name the same content under the given comparison (a coding suffix does not count).</summary>
    public bool Matches(EntityTag other, EntityTagComparison comparison) => Matches(other.Opaque, other.IsWeak, comparison);

    /// <summary>
    /// True when a conditional header's value names <paramref name="current"/>: <c>*</c> (any current representation), or
    /// a comma-separated list of tags one of which matches. Allocation-free; an element that is not a tag ends the list.
    /// </summary>
    public static bool AnyMatches(StringValues header, EntityTag current, EntityTagComparison comparison)
    {
        foreach (var value in header)
        {
            if (value is not null && ListNames(value, current, comparison))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ListNames(ReadOnlySpan<char> list, EntityTag current, EntityTagComparison comparison)
    {
        var rest = list;
        while (true)
        {
            rest = rest.TrimStart(" \t,");
            if (rest.IsEmpty)
            {
                return false;
            }

            if (rest[0] == '*')
            {
                var after = rest[1..].TrimStart(" \t");
                return after.IsEmpty || after[0] == ',';
            }

            if (!TryRead(ref rest, out var opaque, out var weak))
            {
                return false;
            }

            if (current.Matches(opaque, weak, comparison))
            {
                return true;
            }
        }
    }

    /// <summary>Reads a tag at the start of <paramref name="rest"/> and moves past it.</summary>
    private static bool TryRead(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> opaque, out bool weak)
    {
        opaque = default;
        weak = rest.StartsWith("W/", StringComparison.Ordinal);
        var quoted = weak ? rest[2..] : rest;
        if (quoted.IsEmpty || quoted[0] != '"')
        {
            return false;
        }

        var close = quoted[1..].IndexOf('"');
        if (close < 0)
        {
            return false;
        }

        opaque = quoted.Slice(1, close);
        rest = quoted[(close + 2)..];
        return true;
    }

    private bool Matches(ReadOnlySpan<char> otherOpaque, bool otherWeak, EntityTagComparison comparison) =>
        (comparison == EntityTagComparison.Weak || (!IsWeak && !otherWeak))
        && Content(Opaque ?? "").SequenceEqual(Content(otherOpaque));

    /// <summary>The tag of the content: without a coding suffix.</summary>
    private static ReadOnlySpan<char> Content(ReadOnlySpan<char> opaque) =>
        opaque.EndsWith("-" + GzipCoding, StringComparison.Ordinal) || opaque.EndsWith("-" + BrotliCoding, StringComparison.Ordinal)
            ? opaque[..^(GzipCoding.Length + 1)]
            : opaque;
}
