using System.IO.Compression;
using System.Security.Cryptography;

namespace Embassy.MobileApi.Caching;

/// <summary>
/// A JSON response computed once: its bytes, a strong ETag derived from them (so master and standby,
/// serving the same content, give the same ETag), and compressed variants made on first demand.
/// </summary>
public sealed class CachedResponse
{
    private byte[]? _brotli;
    private byte[]? _gzip;

    public CachedResponse(byte[] body, string? contentLanguage, string cacheControl)
    {
        Body = body;
        ContentLanguage = contentLanguage;
        CacheControl = cacheControl;
        IsPublic = cacheControl.StartsWith("public", StringComparison.Ordinal);
        var hash = SHA256.HashData(body);
        Tag = Convert.ToHexStringLower(hash.AsSpan(0, 16));
        ETag = $"\"{Tag}\"";
    }

    public byte[] Body { get; }

    public string Tag { get; }

    public string ETag { get; }

    public string? ContentLanguage { get; }

    public string CacheControl { get; }

    /// <summary>A shared cache (a front, a CDN) may keep it: its Cache-Control says <c>public</c>.</summary>
    public bool IsPublic { get; }

    public int Size => Body.Length + (_brotli?.Length ?? 0) + (_gzip?.Length ?? 0) + 256;

    // Each encoding is its own representation, so its strong ETag differs (RFC 9110 §8.8.3).
    public string BrotliETag => $"\"{Tag}-br\"";

    public string GzipETag => $"\"{Tag}-gz\"";

    public byte[] Brotli => _brotli ??= Compress(Body, s => new BrotliStream(s, CompressionLevel.Optimal));

    public byte[] Gzip => _gzip ??= Compress(Body, s => new GZipStream(s, CompressionLevel.Optimal));

    private static byte[] Compress(byte[] body, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            stream.Write(body);
        }
        return output.ToArray();
    }
}
