using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Core;

/// <summary>
/// Permissions are role claims of type "Permission" (the Roles recipe step writes them); each permission
/// is also an authorization policy of the same name. Administrators hold every permission.
/// The content permissions can also be given for one content type, with Orchard's names
/// (Edit_News, EditOwn_News, Publish_News, Delete_News): the policy of the same permission then
/// lets the user in, and <see cref="Can"/> decides per type.
/// </summary>
public static class Permissions
{
    public const string ClaimType = "Permission";
    public const string AdministratorRole = "Administrator";

    public const string ManageMedia = nameof(ManageMedia);
    public const string EditContent = nameof(EditContent);
    public const string PublishContent = nameof(PublishContent);
    public const string DeleteContent = nameof(DeleteContent);
    public const string ImportRecipes = nameof(ImportRecipes);
    /// <summary>Authors: edit their own items, never publish. Satisfied by EditContent too.</summary>
    public const string EditOwnContent = nameof(EditOwnContent);
    public const string ManageUsers = nameof(ManageUsers);
    public const string ManageRoles = nameof(ManageRoles);
    public const string ManageSettings = nameof(ManageSettings);

    /// <summary>The permissions a role can be given. <see cref="ImportRecipes"/> is not among them: a recipe can write
    /// anything (content, roles, settings, media), so importing is for Administrators only.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ManageMedia, EditContent, PublishContent, DeleteContent, ManageUsers, ManageRoles, ManageSettings, EditOwnContent];

    /// <summary>Permissions that imply another (whoever may edit all content may edit their own).</summary>
    private static readonly Dictionary<string, string[]> ImpliedBy = new() { [EditOwnContent] = [EditContent] };

    /// <summary>The permissions that can be given per content type.</summary>
    public static IReadOnlyList<string> ContentPermissions { get; } = [EditOwnContent, EditContent, PublishContent, DeleteContent];

    /// <summary>Orchard's name of a content permission for one type, e.g. Publish_News.</summary>
    public static string ForType(string permission, string contentType) => $"{TypePrefix(permission)}{contentType}";

    /// <summary>Whether the user holds the permission for items of this type (everywhere, or for the type).</summary>
    public static bool Can(ClaimsPrincipal user, string permission, string contentType)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(AdministratorRole) || Granting(permission).Any(g =>
            user.HasClaim(ClaimType, g) || (ContentPermissions.Contains(g) && user.HasClaim(ClaimType, ForType(g, contentType))));
    }

    /// <summary>May edit this item: every item of its type, or their own. Ownership is by user id (Orchard's Owner);
    /// an item with no owner (e.g. from a recipe) belongs to nobody, and a re-created user name owns nothing.</summary>
    public static bool CanEdit(ClaimsPrincipal user, string contentType, string? ownerId)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Can(user, EditContent, contentType) ||
            (ownerId is not null && ownerId == UserId(user) && Can(user, EditOwnContent, contentType));
    }

    /// <summary>The signed-in user's id (Identity's NameIdentifier claim), or null.</summary>
    public static string? UserId(ClaimsPrincipal user) => user?.FindFirstValue(ClaimTypes.NameIdentifier);

    public static bool IsAdministrator(ClaimsPrincipal user) => user?.IsInRole(AdministratorRole) == true;

    /// <summary>
    /// Whether the user holds a permission as a claim value: a site-wide one (ManageUsers, PublishContent) or a
    /// per-type one (Publish_News), which the site-wide content permission implies. Administrators hold all.
    /// </summary>
    public static bool Holds(ClaimsPrincipal user, string permission)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(permission);
        if (IsAdministrator(user) || Granting(permission).Any(g => user.HasClaim(ClaimType, g)))
        {
            return true;
        }
        foreach (var content in ContentPermissions)
        {
            var prefix = TypePrefix(content);
            if (permission.StartsWith(prefix, StringComparison.Ordinal) && permission.Length > prefix.Length)
            {
                return Can(user, content, permission[prefix.Length..]);
            }
        }
        return false;
    }

    /// <summary>
    /// The one rule for giving rights: nobody grants (or takes away) a permission they do not hold. A role is
    /// granted only by someone who holds all of its permissions; the Administrator role only by an Administrator.
    /// </summary>
    public static bool MayGrant(ClaimsPrincipal actor, string roleName, IEnumerable<string> rolePermissions)
    {
        ArgumentNullException.ThrowIfNull(rolePermissions);
        return IsAdministrator(actor) || (roleName != AdministratorRole && rolePermissions.All(p => Holds(actor, p)));
    }

    /// <summary>
    /// Whether <paramref name="actor"/> may act on another account (roles, lock, password, delete): only
    /// Administrators act on Administrators, and nobody acts on an account that holds a permission they lack.
    /// </summary>
    public static bool MayManage(ClaimsPrincipal actor, IEnumerable<string> targetRoles, IEnumerable<string> targetPermissions)
    {
        ArgumentNullException.ThrowIfNull(targetRoles);
        ArgumentNullException.ThrowIfNull(targetPermissions);
        return IsAdministrator(actor) || (!targetRoles.Contains(AdministratorRole) && targetPermissions.All(p => Holds(actor, p)));
    }

    private static string TypePrefix(string permission) => permission switch
    {
        EditContent => "Edit_",
        EditOwnContent => "EditOwn_",
        PublishContent => "Publish_",
        DeleteContent => "Delete_",
        _ => throw new ArgumentException($"{permission} is not given per content type.", nameof(permission)),
    };

    private static IEnumerable<string> Granting(string permission) => ImpliedBy.GetValueOrDefault(permission, []).Append(permission);

    public static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPolicy(ImportRecipes, p => p.RequireAuthenticatedUser().RequireRole(AdministratorRole));
        foreach (var permission in All)
        {
            var granting = Granting(permission).ToList();
            var perType = granting.Where(ContentPermissions.Contains).Select(TypePrefix).ToList();
            builder.AddPolicy(permission, p => p.RequireAuthenticatedUser().RequireAssertion(context =>
                context.User.IsInRole(AdministratorRole) || context.User.Claims.Any(c => c.Type == ClaimType &&
                    (granting.Contains(c.Value) || perType.Any(prefix => c.Value.StartsWith(prefix, StringComparison.Ordinal))))));
        }
        return builder;
    }
}
