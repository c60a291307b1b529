using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Embassy.Core;

/// <summary>
/// The authenticator app's codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, two steps either way as Identity's own
/// provider allows), each accepted once (RFC 6238 §5.2, issue #38): the step a code matched is kept with the user (an
/// Identity user token, in the replicated database), and a code of that step or an earlier one is refused afterwards, on
/// either server. Two sign-ins racing with one code: the user's concurrency stamp lets one of them store it.
/// </summary>
public sealed class OnceAuthenticatorTokenProvider : IUserTwoFactorTokenProvider<IdentityUser>
{
    private const string LoginProvider = "[Embassy]";
    private const string LastStepName = "AuthenticatorLastStep";

    public Task<string> GenerateAsync(string purpose, UserManager<IdentityUser> manager, IdentityUser user) => Task.FromResult(string.Empty);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<IdentityUser> manager, IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<IdentityUser> manager, IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        if (token is not { Length: 6 } || !token.All(char.IsAsciiDigit) || await manager.GetAuthenticatorKeyAsync(user) is not { Length: > 0 } key)
        {
            return false;
        }
        var secret = Base32ToBytes(key);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        long? matched = null;
        for (var step = now - 2; step <= now + 2; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step)), Encoding.ASCII.GetBytes(token)))
            {
                matched = step;
            }
        }
        if (matched is not { } used)
        {
            return false;
        }
        var last = await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastStepName);
        if (long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var lastStep) && used <= lastStep)
        {
            return false; // this code (or an earlier one) was used already
        }
        return (await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastStepName, used.ToString(CultureInfo.InvariantCulture))).Succeeded;
    }

    private static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 as authenticator apps implement it is HMAC-SHA1
        var hash = HMACSHA1.HashData(secret, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        return ((BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7FFFFFFF) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32ToBytes(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant())
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                continue;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
