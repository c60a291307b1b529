using Embassy.Admin.Security;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin;

/// <summary>Sign-in, second step: the code from the authenticator app, or a recovery code. Throttled like the password.</summary>
[AllowAnonymous]
public sealed class LoginCodeModel(SignInManager<IdentityUser> signIn, SignInThrottle throttle, AuditLog audit) : SignInPageModel
{
    [BindProperty]
    public string Code { get; set; } = "";

    [BindProperty]
    public bool Recovery { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Admin/Login") : Page();

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Admin/Login"); // the password step expired (5 minutes) or never happened
        }
        var address = RateLimitPolicies.ClientKey(HttpContext);
        var account = user.UserName ?? "";
        if (await throttle.AdmitAsync(account, address, cancellationToken) is { } refusal)
        {
            Response.Headers.RetryAfter = refusal.RetryAfterHeader;
            return Refuse(refusal.Status, refusal.Message);
        }
        var result = Recovery
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(TwoFactor.NormalizeRecovery(Code))
            : await signIn.TwoFactorAuthenticatorSignInAsync(TwoFactor.Normalize(Code), isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await throttle.SucceededAsync(account, address, cancellationToken);
            if (Recovery)
            {
                await audit.WriteAsync("user.recovery-code", account, "signed in with a recovery code", cancellationToken);
            }
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/admin");
        }
        if (result.IsLockedOut)
        {
            return Refuse(StatusCodes.Status423Locked, "This account is locked: ask an administrator.");
        }
        if (await throttle.FailedAsync(account, address, cancellationToken))
        {
            return Refuse(StatusCodes.Status423Locked, $"Too many wrong codes: this account is locked from this address for {Math.Ceiling(throttle.LockoutDuration.TotalMinutes)} minutes.");
        }
        return Refuse(StatusCodes.Status401Unauthorized, Recovery ? "That recovery code is not valid (each works once)." : "That code is not valid: type the current one from your authenticator app.");
    }
}
