using Embassy.Admin.Security;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Embassy.Admin.Pages.Admin;

/// <summary>The password again, before security settings (<see cref="RequireRecentSignInAttribute"/>): throttled and
/// locked out like the sign-in itself, audited, and back to the page that asked.</summary>
[Authorize]
public sealed class ReauthenticateModel(SignInThrottle throttle, PasswordCheck passwords, IOptions<SecurityOptions> security, AuditLog audit) : SignInPageModel
{
    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public int Minutes => (int)Math.Ceiling(security.Value.ReauthenticateAfter.TotalMinutes);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var account = User.Identity?.Name ?? "";
        var address = RateLimitPolicies.ClientKey(HttpContext);
        if (await throttle.AdmitAsync(account, address, cancellationToken) is { } refusal)
        {
            return Refuse(refusal.Status, refusal.Message, refusal.RetryAfter);
        }
        var (user, outcome) = await passwords.CheckAsync(account, Password);
        if (outcome != PasswordOutcome.Right || user is null)
        {
            await audit.WriteAsync("user.reauthenticate-failed", account, "a wrong password when asked again", cancellationToken);
            return await throttle.FailedAsync(account, address, cancellationToken)
                ? Refuse(StatusCodes.Status423Locked, $"Too many wrong passwords: this account is locked from this address for {Math.Ceiling(throttle.LockoutDuration.TotalMinutes)} minutes.", throttle.LockoutDuration)
                : Refuse(StatusCodes.Status401Unauthorized, "That is not your password.", null);
        }
        await throttle.SucceededAsync(account, address, cancellationToken);
        await Sessions.MarkVerifiedAsync(HttpContext);
        await audit.WriteAsync("user.reauthenticated", account, null, cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
    }
}
