using Embassy.Admin.Security;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin;

/// <summary>Sign-in, first step: the password. Attempts are throttled per address; a user with an authenticator goes on
/// to the code (/admin/login/code); one whose role requires it and who has none is sent to enrol after signing in.</summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<IdentityUser> signIn, SignInThrottle throttle, PasswordCheck passwords) : SignInPageModel
{
    [BindProperty]
    public string UserName { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        var address = RateLimitPolicies.ClientKey(HttpContext);
        if (await throttle.AdmitAsync(UserName, address) is { } refusal)
        {
            return Refuse(refusal.Status, refusal.Message, refusal.RetryAfter);
        }
        var (user, outcome) = await passwords.CheckAsync(UserName, Password);
        if (outcome == PasswordOutcome.Locked)
        {
            return Refuse(StatusCodes.Status423Locked, "This account is locked: ask an administrator.", null);
        }
        if (outcome == PasswordOutcome.Wrong || user is null)
        {
            return await WrongPasswordAsync(address);
        }
        // The password is right: Identity signs in, or goes on to the second factor.
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: false);
        var target = Url.IsLocalUrl(returnUrl) ? returnUrl! : "/admin";
        if (result.Succeeded)
        {
            await throttle.SucceededAsync(UserName, address);
            return LocalRedirect(target);
        }
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Admin/LoginCode", new { returnUrl = target });
        }
        return result.IsLockedOut // locked in the meantime
            ? Refuse(StatusCodes.Status423Locked, "This account is locked: ask an administrator.", null)
            : await WrongPasswordAsync(address);
    }

    private async Task<PageResult> WrongPasswordAsync(string address) => await throttle.FailedAsync(UserName, address)
        ? Refuse(StatusCodes.Status423Locked, $"Too many wrong passwords: this account is locked from this address for {Math.Ceiling(throttle.LockoutDuration.TotalMinutes)} minutes.", throttle.LockoutDuration)
        : Refuse(StatusCodes.Status401Unauthorized, "Wrong user name or password.", null);

}
