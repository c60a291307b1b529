using System.Security.Cryptography;

namespace Embassy.Core;

/// <summary>Orchard-style identifiers: 26 characters of base32 (128 random bits), lowercase.</summary>
public static class IdGenerator
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Encode(bytes);
    }

    /// <summary>A stable id derived from a seed (recipes use it so re-imports converge).</summary>
    public static string FromSeed(ReadOnlySpan<byte> seed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(seed, hash);
        return Encode(hash[..16]);
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[26];
        var bitBuffer = 0;
        var bitCount = 0;
        var index = 0;
        foreach (var b in bytes)
        {
            bitBuffer = (bitBuffer << 8) | b;
            bitCount += 8;
            while (bitCount >= 5)
            {
                bitCount -= 5;
                chars[index++] = Alphabet[(bitBuffer >> bitCount) & 31];
            }
        }
        if (bitCount > 0)
        {
            chars[index++] = Alphabet[(bitBuffer << (5 - bitCount)) & 31];
        }
        return new string(chars[..index]);
    }
}
