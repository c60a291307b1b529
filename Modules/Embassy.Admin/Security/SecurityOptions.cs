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

    public IReadOnlyList<string> TwoFactorRoles =>
        RequireTwoFactorFor.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
