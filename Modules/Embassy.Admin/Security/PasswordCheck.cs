using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Embassy.Admin.Security;

/// <summary>What a user name and password come to: wrong (unknown user or wrong password, said alike), right, or right for a locked account.</summary>
public enum PasswordOutcome
{
    Wrong,
    Right,
    Locked,
}

/// <summary>
/// The first step of every sign-in (the page and the session API): checks a user name and password so that the answer
/// and its time say nothing of whether the account exists or is locked. An unknown user costs one password-hash check
/// like a known one (against a hash made once, with the same hasher and work factor); a locked account is said to be
/// locked only to someone who gives its password — to anyone else it is a wrong password, as for every other account.
/// </summary>
public sealed class PasswordCheck(UserManager<IdentityUser> users, IPasswordHasher<IdentityUser> hasher)
{
    private static readonly IdentityUser Nobody = new("nobody");
    private static string? _nobodysHash;

    public async Task<(IdentityUser? User, PasswordOutcome Outcome)> CheckAsync(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var user = await users.FindByNameAsync(userName);
        if (user?.PasswordHash is null)
        {
            _nobodysHash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
            hasher.VerifyHashedPassword(Nobody, _nobodysHash, password);
            return (null, PasswordOutcome.Wrong);
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            return (null, PasswordOutcome.Wrong);
        }
        return await users.IsLockedOutAsync(user) ? (user, PasswordOutcome.Locked) : (user, PasswordOutcome.Right);
    }
}
