using System.ComponentModel.DataAnnotations;

namespace Embassy.Admin.Security;

public sealed class SecurityOptions
{
    public const string Section = "Embassy:Security";

    /// <summary>Roles whose members must sign in with a second factor (comma-separated); empty turns the requirement off
    /// (e.g. for a test instance). A member without an authenticator is sent to enrol one before anything else.</summary>
    public string RequireTwoFactorFor { get; set; } = "Administrator";

    /// <summary>Sign-in attempts (password or code, on the page and the API together) per client address per minute.</summary>
    [Range(1, 100_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Wrong passwords or codes for one account from one address before that address is locked out of it. The
    /// lockout is per address, so that nobody can lock the real administrator out from elsewhere.</summary>
    [Range(1, 1000)]
    public int FailuresBeforeLockout { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A CMI session ends after this long without a request (the cookie slides while it is used).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A CMI session ends this long after its sign-in, used or not: then the password (and code) again.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionAbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Security settings (users, roles, webhooks and their secrets, push credentials, two-factor sign-in, recipes)
    /// open only this long after the password was last given; after that the CMI asks for it again.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "1.00:00:00")]
    public TimeSpan ReauthenticateAfter { get; set; } = TimeSpan.FromMinutes(15);

    public IReadOnlyList<string> TwoFactorRoles =>
        RequireTwoFactorFor.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
