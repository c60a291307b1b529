using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
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
    public sealed record SignInRequest([Required] string UserName, [Required] string Password);

    public sealed record SessionResponse(string UserName, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, string AntiforgeryToken);

    public static IEndpointRouteBuilder MapAdminSession(this IEndpointRouteBuilder endpoints)
    {
        var session = endpoints.MapGroup("/admin/api/session").WithTags("Admin");
        session.MapPost("", SignInAsync).DisableAntiforgery().WithSummary("Signs in an editor (5 wrong passwords lock the account for 15 minutes).");
        session.MapGet("", Current).RequireAuthorization().WithSummary("The signed-in editor and an antiforgery token for the X-CSRF-TOKEN header.");
        session.MapDelete("", SignOutAsync).RequireAuthorization().WithSummary("Signs out.");
        endpoints.MapGet("/admin/assets/media.js", () => TypedResults.Text(AdminAssets.MediaScript, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult, ValidationProblem>> SignInAsync(SignInRequest request, HttpContext http,
        SignInManager<IdentityUser> signIn, IAntiforgery antiforgery)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userName"] = ["user name and password are required."] });
        }
        var result = await signIn.PasswordSignInAsync(request.UserName, request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "Account locked",
                detail: "Too many wrong passwords: the account is locked for 15 minutes.");
        }
        if (!result.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "Wrong user name or password.");
        }
        var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByNameAsync(request.UserName))!);
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
