using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Embassy.MobileApi;

/// <summary>
/// Cursors and sync tokens: "v1." + base64url(JSON) + "." + checksum. Nothing in them is server-local,
/// so a token from the master works on the standby and back. The checksum only tells a garbled or
/// hand-made token from a real one; tokens grant nothing, so they need no secret. Each carries its kind
/// ("k": a list cursor, a sync cursor, a sync token), so one kind never passes for another.
/// </summary>
public static class OpaqueToken
{
    private const string Prefix = "v1.";
    private const string KindProperty = "k";

    public static string Encode<T>(string kind, T payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var json = JsonSerializer.SerializeToNode(payload, JsonSerializerOptions.Web)!.AsObject();
        json[KindProperty] = kind;
        var body = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(json, JsonSerializerOptions.Web));
        return $"{Prefix}{body}.{Checksum(body)}";
    }

    /// <summary>
    /// Decodes a token of <paramref name="kind"/>. A token of another kind is refused; one issued before tokens carried
    /// their kind is taken only if it has <paramref name="legacyProperty"/>, which only that kind had.
    /// </summary>
    public static bool TryDecode<T>(string? token, string kind, string legacyProperty, out T? payload) where T : class
    {
        payload = null;
        if (!TryDecode(token, out System.Text.Json.Nodes.JsonObject? json) || json is null)
        {
            return false;
        }
        var tokenKind = json[KindProperty] is System.Text.Json.Nodes.JsonValue k && k.TryGetValue<string>(out var text) ? text : null;
        if (tokenKind is null ? !json.ContainsKey(legacyProperty) : tokenKind != kind)
        {
            return false;
        }
        try
        {
            payload = json.Deserialize<T>(JsonSerializerOptions.Web);
            return payload is not null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryDecode<T>(string? token, out T? payload) where T : class
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
