using Embassy.Admin.Localization;
using Embassy.Admin.Security;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Embassy.Admin.Pages.Admin.Account;

/// <summary>
/// The signed-in user's own two-factor sign-in: enrol an authenticator app (QR code or key, then a code to prove it),
/// get recovery codes (shown once), make new ones, or turn it off where the role does not require it.
/// </summary>
[Authorize]
[RequireRecentSignIn]
public sealed class TwoFactorModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, IOptions<SecurityOptions> security, AuditLog audit)
    : PageModel
{
    public bool Enabled { get; private set; }

    public bool Required { get; private set; }

    /// <summary>The key to type into the app, in groups of four.</summary>
    public string SharedKey { get; private set; } = "";

    public string QrCode { get; private set; } = "";

    public string AuthenticatorUri { get; private set; } = "";

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>Shown once, right after they are made.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

    public string? Error { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Challenge();

    public async Task<IActionResult> OnPostEnableAsync(string? code, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, TwoFactor.Normalize(code));
        if (!valid)
        {
            await LoadAsync();
            Error = this.Say("That code is not valid: type the 6-digit code your app shows now for Embassy CMS.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))?.ToList() ?? [];
        await audit.WriteAsync("user.2fa.enable", user.UserName, "authenticator app enrolled", cancellationToken);
        await signIn.RefreshSignInAsync(user); // the cookie now says the second factor is there
        await LoadAsync(user);
        Message = this.Say("Two-factor sign-in is on. Save the recovery codes below now: they are not shown again.");
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null || !user.TwoFactorEnabled)
        {
            return RedirectToPage();
        }
        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))?.ToList() ?? [];
        await audit.WriteAsync("user.2fa.recovery-codes", user.UserName, "new recovery codes (the old ones no longer work)", cancellationToken);
        await LoadAsync(user);
        Message = this.Say("New recovery codes: the old ones no longer work. Save these now.");
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        if (TwoFactor.IsRequiredFor(User, security.Value))
        {
            await LoadAsync(user);
            Error = this.Say("Your role requires two-factor sign-in: it cannot be turned off. To move to a new phone, enrol again from there.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await audit.WriteAsync("user.2fa.disable", user.UserName, null, cancellationToken);
        await signIn.RefreshSignInAsync(user);
        Message = this.Say("Two-factor sign-in is off.");
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(IdentityUser? user = null)
    {
        user ??= await users.GetUserAsync(User);
        if (user is null)
        {
            return false;
        }
        Enabled = user.TwoFactorEnabled;
        Required = TwoFactor.IsRequiredFor(User, security.Value);
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return true;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        SharedKey = string.Join(' ', key!.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        AuthenticatorUri = TwoFactor.AuthenticatorUri(user.UserName ?? "", key!);
        QrCode = TwoFactor.QrCodeDataUri(AuthenticatorUri);
        return true;
    }
}
