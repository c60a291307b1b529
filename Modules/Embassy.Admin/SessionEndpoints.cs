using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Embassy.Admin.Security;
using Embassy.Core;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;

namespace Embassy.Admin;

/// <summary>/admin/api/session: sign in (with lockout), who am I (with an antiforgery token for writes), sign out.</summary>
public static class SessionEndpoints
{
    /// <summary>Code: the authenticator app's current code, or a recovery code, for users with two-factor sign-in.</summary>
    public sealed record SignInRequest([Required] string UserName, [Required] string Password, string? Code = null);

    public sealed record SessionResponse(string UserName, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, string AntiforgeryToken);

    public static IEndpointRouteBuilder MapAdminSession(this IEndpointRouteBuilder endpoints)
    {
        var session = endpoints.MapGroup("/admin/api/session").WithTags("Admin");
        session.MapPost("", SignInAsync).DisableAntiforgery()
            .WithSummary("Signs in an editor: password, and the authenticator's code when two-factor sign-in is on. Attempts are limited per address " +
                "(429); wrong ones lock the account from that address for a while (423).");
        session.MapGet("", Current).RequireAuthorization().WithSummary("The signed-in editor and an antiforgery token for the X-CSRF-TOKEN header.");
        session.MapDelete("", SignOutAsync).RequireAuthorization().WithSummary("Signs out.");
        endpoints.MapGet("/admin/assets/media.js", () => TypedResults.Text(AdminAssets.MediaScript, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet("/admin/assets/wysiwyg.js", () => TypedResults.Text(AdminAssets.WysiwygScript, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet("/admin/assets/vendor/{name}", (string name, HttpContext http) =>
        {
            if (AdminAssets.VendorFile(name) is not { } bytes)
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return TypedResults.Bytes(bytes, AdminAssets.Vendor[name].ContentType);
        }).ExcludeFromDescription();
        endpoints.MapGet(AdminAssets.HlsUrl, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return TypedResults.Bytes(AdminAssets.HlsScript, "text/javascript; charset=utf-8");
        }).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult, ValidationProblem>> SignInAsync(SignInRequest request, HttpContext http,
        SignInManager<IdentityUser> signIn, IAntiforgery antiforgery, SignInThrottle throttle, PasswordCheck passwords)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userName"] = ["user name and password are required."] });
        }
        var address = RateLimitPolicies.ClientKey(http);
        if (await throttle.AdmitAsync(request.UserName, address) is { } refusal)
        {
            http.Response.Headers.RetryAfter = refusal.RetryAfterHeader;
            return TypedResults.Problem(statusCode: refusal.Status, title: refusal.Status == StatusCodes.Status429TooManyRequests ? "Too many requests" : "Account locked",
                detail: refusal.Message);
        }
        var (user, outcome) = await passwords.CheckAsync(request.UserName, request.Password);
        if (outcome == PasswordOutcome.Locked)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "Account locked", detail: "This account is locked: ask an administrator.");
        }
        if (outcome != PasswordOutcome.Right || user is null)
        {
            if (await throttle.FailedAsync(request.UserName, address))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "Account locked",
                    detail: $"Too many wrong passwords: the account is locked from this address for {Math.Ceiling(throttle.LockoutDuration.TotalMinutes)} minutes.");
            }
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "Wrong user name or password.");
        }
        if (user.TwoFactorEnabled)
        {
            var code = TwoFactor.Normalize(request.Code);
            if (code.Length == 0)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Code required",
                    detail: "This account signs in with a second factor: send the authenticator app's code (or a recovery code) as \"code\".",
                    extensions: new Dictionary<string, object?> { ["twoFactorRequired"] = true });
            }
            var users = signIn.UserManager;
            var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code) ||
                (await users.RedeemTwoFactorRecoveryCodeAsync(user, TwoFactor.NormalizeRecovery(request.Code))).Succeeded;
            if (!valid)
            {
                await throttle.FailedAsync(request.UserName, address);
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "That code is not valid.",
                    extensions: new Dictionary<string, object?> { ["twoFactorRequired"] = true });
            }
        }
        await throttle.SucceededAsync(request.UserName, address);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", user.TwoFactorEnabled ? "mfa" : "pwd")]);
        var principal = await signIn.CreateUserPrincipalAsync(user);
        http.User = principal;
        return TypedResults.Ok(Describe(principal, antiforgery.GetAndStoreTokens(http).RequestToken!));
    }

    private static Ok<SessionResponse> Current(HttpContext http, IAntiforgery antiforgery) =>
        TypedResults.Ok(Describe(http.User, antiforgery.GetAndStoreTokens(http).RequestToken!));

    private static async Task<NoContent> SignOutAsync(SignInManager<IdentityUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static SessionResponse Describe(ClaimsPrincipal user, string token) => new(
        user.Identity?.Name ?? "",
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(),
        user.IsInRole(Permissions.AdministratorRole) ? Permissions.All : user.FindAll(Permissions.ClaimType).Select(c => c.Value).Distinct().ToList(),
        token);
}
