using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace Embassy.Core;

/// <summary>
/// Who is acting, for the checks the core makes whatever the path (a form, an API, a recipe): the signed-in user
/// of the current request, or the system itself when there is no request (first-run setup, the recipes command,
/// background jobs). A request without a signed-in user acts as nobody and may do nothing.
/// </summary>
public sealed class CurrentActor(IHttpContextAccessor http)
{
    /// <summary>What <see cref="Id"/> is for the system (stored, e.g., as who set a schedule).</summary>
    public const string SystemId = "@system";

    public bool IsSystem => http.HttpContext is null;

    public ClaimsPrincipal? Principal => http.HttpContext?.User is { Identity.IsAuthenticated: true } user ? user : null;

    /// <summary>The user's id, <see cref="SystemId"/> for the system, null for nobody.</summary>
    public string? Id => IsSystem ? SystemId : Principal is { } user ? Permissions.UserId(user) : null;

    public string? UserName => IsSystem ? null : Principal?.Identity?.Name;

    public bool Can(string permission, string contentType) => IsSystem || (Principal is { } user && Permissions.Can(user, permission, contentType));
}

/// <summary>Rights of a user who is not the one making the request (e.g. who set a schedule, checked when it fires).</summary>
public sealed class UserRights(UserManager<IdentityUser> users, IUserClaimsPrincipalFactory<IdentityUser> principals, TimeProvider clock)
{
    /// <summary>The user's current principal (roles and permissions as now), or null when the user is gone or locked out.</summary>
    public async Task<ClaimsPrincipal?> PrincipalAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || (user.LockoutEnd is { } end && end > clock.GetUtcNow()))
        {
            return null;
        }
        return await principals.CreateAsync(user);
    }

    /// <summary>Whether <paramref name="actorId"/> (a user id or <see cref="CurrentActor.SystemId"/>) holds a content permission for a type now.</summary>
    public async Task<bool> CanAsync(string? actorId, string permission, string contentType)
    {
        if (actorId == CurrentActor.SystemId)
        {
            return true;
        }
        return actorId is not null && await PrincipalAsync(actorId) is { } principal && Permissions.Can(principal, permission, contentType);
    }
}
