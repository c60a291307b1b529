using Embassy.Admin.Security;
using Embassy.Admin.Localization;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Admin.Pages.Admin.Users;

/// <summary>One user as the users page lists them.</summary>
public sealed record UserRow(string Id, string UserName, string? Email, IReadOnlyList<string> Roles, DateTimeOffset? LockedUntil, int FailedSignIns, bool TwoFactor);

/// <summary>Users: create one with a role, change roles, lock and unlock, set a new password, delete. Every change is audited.</summary>
[Authorize(Policy = Permissions.ManageUsers)]
/// <remarks>
/// Nobody gets more than they were given (<see cref="Permissions.MayGrant"/>, <see cref="Permissions.MayManage"/>): a role
/// is given or taken only by someone who holds all its permissions (Administrator only by an Administrator), and an
/// account that holds a permission the acting user lacks (an Administrator's, say) cannot be changed by them.
/// </remarks>
[RequireRecentSignIn]
public sealed class UsersModel(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, EmbassyDbContext db, AuditLog audit, TimeProvider clock) : PageModel
{

    /// <summary>The permissions each role holds (claims of type Permission).</summary>
    private async Task<IReadOnlyList<string>> RolePermissionsAsync(IEnumerable<string> roleNames, CancellationToken cancellationToken)
    {
        var names = roleNames.ToList();
        return await db.RoleClaims.Where(c => c.ClaimType == Permissions.ClaimType)
            .Join(db.Roles.Where(r => names.Contains(r.Name!)), c => c.RoleId, r => r.Id, (c, _) => c.ClaimValue!)
            .Distinct().ToListAsync(cancellationToken);
    }

    private async Task<bool> MayGrantAsync(string role, CancellationToken cancellationToken) =>
        Permissions.MayGrant(User, role, await RolePermissionsAsync([role], cancellationToken));

    private async Task<bool> MayManageAsync(IdentityUser target, CancellationToken cancellationToken)
    {
        var targetRoles = await users.GetRolesAsync(target);
        return Permissions.MayManage(User, targetRoles, await RolePermissionsAsync(targetRoles, cancellationToken));
    }

    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public IReadOnlyList<string> RoleNames { get; private set; } = [];

    public List<string> Errors { get; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>What was typed in the new-user form, kept after a refusal (never the password).</summary>
    public string Typed(string field) =>
        Request.HasFormContentType && field != "password" && Request.Form.TryGetValue(field, out var value) && Request.Query["handler"] == "Create" ? value.ToString() : "";

    public async Task<IActionResult> OnPostCreateAsync(string? userName, string? email, string? password, string? role, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return await FailAsync(this.Say("A user needs a name and a password."), cancellationToken);
        }
        if (role is not null && role.Length > 0 && !await roles.RoleExistsAsync(role))
        {
            return await FailAsync(this.Say("There is no role '{0}'.", role), cancellationToken);
        }
        if (role is { Length: > 0 } && !await MayGrantAsync(role, cancellationToken))
        {
            return await ForbiddenAsync(cancellationToken);
        }
        var user = new IdentityUser(userName.Trim()) { Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return await FailAsync(created, cancellationToken);
        }
        if (role is { Length: > 0 })
        {
            await users.AddToRoleAsync(user, role);
        }
        await audit.WriteAsync("user.create", user.UserName, role is { Length: > 0 } ? $"role {role}" : "no role", cancellationToken);
        Message = this.Say("User {0} created.", user.UserName);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRolesAsync(string id, string[] roleNames, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }
        if (!await MayManageAsync(user, cancellationToken))
        {
            return await ForbiddenAsync(cancellationToken);
        }
        var wanted = roleNames.Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in wanted)
        {
            if (!await roles.RoleExistsAsync(name))
            {
                return await FailAsync(this.Say("There is no role '{0}'.", name), cancellationToken);
            }
        }
        if (user.UserName == User.Identity?.Name && User.IsInRole(Permissions.AdministratorRole) && !wanted.Contains(Permissions.AdministratorRole))
        {
            return await FailAsync(this.Say("You cannot take the Administrator role from yourself: ask another administrator."), cancellationToken);
        }
        var current = await users.GetRolesAsync(user);
        foreach (var changed in wanted.Except(current).Concat(current.Except(wanted)))
        {
            if (!await MayGrantAsync(changed, cancellationToken))
            {
                return await ForbiddenAsync(cancellationToken);
            }
        }
        var removed = await users.RemoveFromRolesAsync(user, current.Except(wanted));
        var added = removed.Succeeded ? await users.AddToRolesAsync(user, wanted.Except(current)) : removed;
        if (!added.Succeeded)
        {
            return await FailAsync(added, cancellationToken);
        }
        await users.UpdateSecurityStampAsync(user); // signs the user out elsewhere, so the new roles apply at once
        await audit.WriteAsync("user.roles", user.UserName, wanted.Count == 0 ? "no roles" : string.Join(", ", wanted), cancellationToken);
        Message = this.Say("{0}: {1}.", user.UserName, wanted.Count == 0 ? this.Say("no roles") : string.Join(", ", wanted));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostLockAsync(string id, bool locked, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }
        if (!await MayManageAsync(user, cancellationToken))
        {
            return await ForbiddenAsync(cancellationToken);
        }
        if (locked && user.UserName == User.Identity?.Name)
        {
            return await FailAsync(this.Say("You cannot lock yourself out."), cancellationToken);
        }
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!locked)
        {
            await users.ResetAccessFailedCountAsync(user);
        }
        else
        {
            await users.UpdateSecurityStampAsync(user);
        }
        await audit.WriteAsync(locked ? "user.lock" : "user.unlock", user.UserName, null, cancellationToken);
        Message = locked ? this.Say("{0} locked: they cannot sign in.", user.UserName) : this.Say("{0} unlocked.", user.UserName);
        return RedirectToPage();
    }

    /// <summary>A lost phone: turns the user's second factor off and forgets the key; they enrol again at their next sign-in
    /// (where their role requires it), and are signed out everywhere now.</summary>
    public async Task<IActionResult> OnPostResetTwoFactorAsync(string id, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }
        if (!await MayManageAsync(user, cancellationToken))
        {
            return await ForbiddenAsync(cancellationToken);
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync("user.2fa.reset", user.UserName, "two-factor sign-in reset by an administrator", cancellationToken);
        Message = this.Say("{0}: two-factor sign-in reset; they set it up again at their next sign-in.", user.UserName);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPasswordAsync(string id, string? password, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }
        if (!await MayManageAsync(user, cancellationToken))
        {
            return await ForbiddenAsync(cancellationToken);
        }
        if (string.IsNullOrEmpty(password))
        {
            return await FailAsync(this.Say("Type the new password."), cancellationToken);
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
        {
            return await FailAsync(reset, cancellationToken);
        }
        await audit.WriteAsync("user.password", user.UserName, "password set by an administrator", cancellationToken);
        Message = this.Say("New password set for {0}.", user.UserName);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, bool confirmDelete, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }
        if (!await MayManageAsync(user, cancellationToken))
        {
            return await ForbiddenAsync(cancellationToken);
        }
        if (user.UserName == User.Identity?.Name)
        {
            return await FailAsync(this.Say("You cannot delete yourself."), cancellationToken);
        }
        if (!confirmDelete)
        {
            return await FailAsync(this.Say("Tick \"yes, delete\" to delete {0}.", user.UserName), cancellationToken);
        }
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            return await FailAsync(deleted, cancellationToken);
        }
        await audit.WriteAsync("user.delete", user.UserName, null, cancellationToken);
        Message = this.Say("User {0} deleted; their content stays.", user.UserName);
        return RedirectToPage();
    }

    private async Task<IActionResult> ForbiddenAsync(CancellationToken cancellationToken)
    {
        await FailAsync(this.Say("You may only change accounts and give roles whose permissions you hold yourself (Administrators: only an Administrator)."), cancellationToken);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private Task<IActionResult> FailAsync(IdentityResult result, CancellationToken cancellationToken) =>
        FailAsync(string.Join(" ", result.Errors.Select(e => e.Description)), cancellationToken);

    private async Task<IActionResult> FailAsync(string error, CancellationToken cancellationToken)
    {
        Errors.Add(error);
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        RoleNames = await roles.Roles.Select(r => r.Name!).OrderBy(n => n).ToListAsync(cancellationToken);
        var all = await users.Users.OrderBy(u => u.UserName).Take(1000).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var rows = new List<UserRow>();
        foreach (var user in all)
        {
            rows.Add(new UserRow(user.Id, user.UserName ?? "", user.Email, (await users.GetRolesAsync(user)).Order().ToList(),
                user.LockoutEnd > now ? user.LockoutEnd : null, user.AccessFailedCount, user.TwoFactorEnabled));
        }
        Users = rows;
    }
}
