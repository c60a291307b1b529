using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Embassy.MobileApi;

/// <summary>
/// Cursors and sync tokens: "v1." + base64url(JSON) + "." + checksum. Nothing in them is server-local,
/// so a token from the master works on the standby and back. The checksum only tells a garbled or
/// hand-made token from a real one; tokens grant nothing, so they need no secret.
/// </summary>
public static class OpaqueToken
{
    private const string Prefix = "v1.";

    public static string Encode<T>(T payload)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(payload, JsonSerializerOptions.Web);
        var body = Base64Url.EncodeToString(json);
        return $"{Prefix}{body}.{Checksum(body)}";
    }

    public static bool TryDecode<T>(string? token, out T? payload) where T : class
    {
        payload = null;
        if (string.IsNullOrEmpty(token) || token.Length > 1024 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 2 || parts[1] != Checksum(parts[0]))
        {
            return false;
        }
        try
        {
            payload = JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(parts[0]), JsonSerializerOptions.Web);
            return payload is not null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return false;
        }
    }

    private static string Checksum(string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("embassy-api-token:" + body)).AsSpan(0, 6));
}
