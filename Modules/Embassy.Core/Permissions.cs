using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Core;

/// <summary>
/// Permissions are role claims of type "Permission" (the Roles recipe step writes them); each permission
/// is also an authorization policy of the same name. Administrators hold every permission.
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

    public static IReadOnlyList<string> All { get; } =
        [ManageMedia, EditContent, PublishContent, DeleteContent, ImportRecipes, ManageUsers, ManageRoles, ManageSettings, EditOwnContent];

    /// <summary>Permissions that imply another (whoever may edit all content may edit their own).</summary>
    private static readonly Dictionary<string, string[]> ImpliedBy = new() { [EditOwnContent] = [EditContent] };

    public static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var permission in All)
        {
            var granting = ImpliedBy.GetValueOrDefault(permission, []).Append(permission).ToList();
            builder.AddPolicy(permission, p => p.RequireAuthenticatedUser().RequireAssertion(context =>
                context.User.IsInRole(AdministratorRole) || granting.Any(g => context.User.HasClaim(ClaimType, g))));
        }
        return builder;
    }
}
