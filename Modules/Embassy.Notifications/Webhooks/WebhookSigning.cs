using System.Security.Cryptography;
using System.Text;

namespace Embassy.Notifications.Webhooks;

/// <summary>
/// Standard Webhooks (standardwebhooks.com): secrets are "whsec_" + base64 of the key; a message is signed as
/// HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}") and sent as "v1,{base64}" in webhook-signature.
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key of a whsec_ secret; null when it is not one (wrong prefix, not base64, shorter than 16 bytes or longer than 64).</summary>
    public static byte[]? Key(string? secret)
    {
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var text = secret[SecretPrefix.Length..];
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var length) && length is >= 16 and <= 64 ? buffer[..length] : null;
    }

    public static string Sign(byte[] key, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
