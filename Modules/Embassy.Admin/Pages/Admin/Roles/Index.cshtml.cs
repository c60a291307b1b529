using Embassy.Admin.Security;
using Embassy.Admin.Localization;
using Embassy.Content.Services;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Admin.Pages.Admin.Roles;

/// <summary>
/// Roles and their permissions: the site-wide ones, and the content permissions per type with Orchard's
/// names (Edit_News, Publish_Alert …). Saving replaces the role's permissions in one transaction, audited.
/// </summary>
[Authorize(Policy = Permissions.ManageRoles)]
[RequireRecentSignIn]
public sealed class RolesModel(EmbassyDbContext db, RoleManager<IdentityRole> roles, ContentDefinitionStore definitions, AuditLog audit) : PageModel
{
    public IReadOnlyList<(string Name, IReadOnlySet<string> Permissions)> Roles { get; private set; } = [];

    public IReadOnlyList<(string Name, string DisplayName)> Types { get; private set; } = [];

    public List<string> Errors { get; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 256)
        {
            return await FailAsync(this.Say("A role needs a name (at most 256 characters)."), cancellationToken);
        }
        var created = await roles.CreateAsync(new IdentityRole(name.Trim()));
        if (!created.Succeeded)
        {
            return await FailAsync(string.Join(" ", created.Errors.Select(e => e.Description)), cancellationToken);
        }
        await audit.WriteAsync("role.create", name.Trim(), null, cancellationToken);
        Message = this.Say("Role {0} created: tick its permissions below.", name.Trim());
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSaveAsync(string role, string[] permissions, CancellationToken cancellationToken)
    {
        var entity = await roles.FindByNameAsync(role);
        if (entity is null)
        {
            return NotFound();
        }
        if (entity.Name == Permissions.AdministratorRole)
        {
            return await FailAsync(this.Say("The Administrator role always holds every permission."), cancellationToken);
        }
        var types = (await definitions.ListTypesAsync(cancellationToken)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var known = Permissions.All.Concat(types.SelectMany(t => Permissions.ContentPermissions.Select(p => Permissions.ForType(p, t)))).ToHashSet(StringComparer.Ordinal);
        var unknown = permissions.Where(p => !known.Contains(p)).ToList();
        if (unknown.Count > 0)
        {
            return await FailAsync(this.Say("Unknown permissions: {0}.", string.Join(", ", unknown)), cancellationToken);
        }
        var wanted = permissions.ToHashSet(StringComparer.Ordinal);
        var claims = await db.RoleClaims.Where(c => c.RoleId == entity.Id && c.ClaimType == Permissions.ClaimType).ToListAsync(cancellationToken);
        // Nobody grants (or takes away) a permission they do not hold themselves.
        var held = claims.Select(c => c.ClaimValue ?? "").Where(known.Contains).ToHashSet(StringComparer.Ordinal);
        var notYours = wanted.Except(held).Concat(held.Except(wanted)).Where(p => !Permissions.Holds(User, p)).Order(StringComparer.Ordinal).ToList();
        if (notYours.Count > 0)
        {
            await FailAsync(this.Say("You cannot give or take permissions you do not hold yourself: {0}.", string.Join(", ", notYours)), cancellationToken);
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        // Permissions this page does not know (e.g. from an Orchard recipe) are kept as they are.
        db.RoleClaims.RemoveRange(claims.Where(c => known.Contains(c.ClaimValue ?? "") && !wanted.Contains(c.ClaimValue ?? "")));
        var had = claims.Select(c => c.ClaimValue).ToHashSet(StringComparer.Ordinal);
        db.RoleClaims.AddRange(wanted.Where(p => !had.Contains(p)).Select(p => new IdentityRoleClaim<string> { RoleId = entity.Id, ClaimType = Permissions.ClaimType, ClaimValue = p }));
        audit.Stage("role.update", entity.Name, wanted.Count == 0 ? "no permissions" : string.Join(", ", wanted.Order(StringComparer.Ordinal)));
        await db.SaveChangesAsync(cancellationToken);
        Message = this.Say("Permissions of {0} saved; signed-in users get them within a minute.", entity.Name);
        return RedirectToPage();
    }

    private async Task<IActionResult> FailAsync(string error, CancellationToken cancellationToken)
    {
        Errors.Add(error);
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var all = await roles.Roles.OrderBy(r => r.Name).ToListAsync(cancellationToken);
        var claims = await db.RoleClaims.Where(c => c.ClaimType == Permissions.ClaimType).ToListAsync(cancellationToken);
        Roles = all.Select(r => (r.Name ?? "", (IReadOnlySet<string>)claims.Where(c => c.RoleId == r.Id).Select(c => c.ClaimValue ?? "").ToHashSet(StringComparer.Ordinal))).ToList();
        Types = (await definitions.ListTypesAsync(cancellationToken)).Select(t => (t.Name, t.DisplayName)).OrderBy(t => t.DisplayName).ToList();
    }

    /// <summary>What each site-wide permission lets a role do, in words.</summary>
    /// <summary>A content permission's column in the per-type table.</summary>
    public static string Column(string permission, CmiText T) => permission switch
    {
        Permissions.EditOwnContent => T["Edit own"],
        Permissions.EditContent => T["Edit"],
        Permissions.PublishContent => T["Publish"],
        Permissions.DeleteContent => T["Delete"],
        _ => permission,
    };

    public static string Describe(string permission, CmiText T) => permission switch
    {
        Permissions.ManageMedia => T["upload and delete media"],
        Permissions.EditContent => T["edit every item (all types)"],
        Permissions.EditOwnContent => T["edit their own items (all types)"],
        Permissions.PublishContent => T["publish and unpublish (all types)"],
        Permissions.DeleteContent => T["delete items (all types)"],
        Permissions.ImportRecipes => T["import and export recipes"],
        Permissions.ManageUsers => T["manage users"],
        Permissions.ManageRoles => T["manage roles and permissions"],
        Permissions.ManageSettings => T["change site settings"],
        _ => permission,
    };
}
