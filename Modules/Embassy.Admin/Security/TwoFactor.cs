using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Embassy.Core;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Embassy.Admin.Security;

/// <summary>Two-factor sign-in with authenticator apps (TOTP, RFC 6238), on ASP.NET Core Identity's own support.</summary>
public static class TwoFactor
{
    /// <summary>A claim on every signed-in principal: "true" when the user has an authenticator enrolled.</summary>
    public const string EnrolledClaim = "embassy:2fa";

    public const string EnrolPath = "/admin/account/two-factor";

    /// <summary>Whether the user's roles require a second factor (Embassy:Security:RequireTwoFactorFor).</summary>
    public static bool IsRequiredFor(ClaimsPrincipal user, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TwoFactorRoles.Any(user.IsInRole);
    }

    public static bool IsEnrolled(ClaimsPrincipal user) => user?.FindFirst(EnrolledClaim)?.Value == "true";

    /// <summary>The otpauth:// URI that authenticator apps read from the QR code (Google's Key Uri Format).</summary>
    public static string AuthenticatorUri(string userName, string key) =>
        string.Format(CultureInfo.InvariantCulture, "otpauth://totp/{0}:{1}?secret={2}&issuer={0}&digits=6",
            UrlEncoder.Default.Encode("Embassy CMS"), UrlEncoder.Default.Encode(userName), key);

    /// <summary>The QR code of <paramref name="text"/> as a PNG data URI (the CMI's CSP allows data: images).</summary>
    public static string QrCodeDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    /// <summary>A code as people type it: digits only (spaces and dashes from the app's display removed).</summary>
    public static string Normalize(string? code) => new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());

    /// <summary>A recovery code as Identity stores it (its dash kept; spaces removed).</summary>
    public static string NormalizeRecovery(string? code) => new((code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
}

/// <summary>Identity's principal, plus whether the user has a second factor enrolled (read when signing in and every
/// minute by the security stamp check, so an enrolment or reset reaches the cookie).</summary>
public sealed class EmbassyClaimsPrincipalFactory(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<IdentityUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(IdentityUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(TwoFactor.EnrolledClaim, user.TwoFactorEnabled ? "true" : "false"));
        return identity;
    }
}
