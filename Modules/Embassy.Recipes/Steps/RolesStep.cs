using System.Text.Json.Nodes;
using Embassy.Core;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Recipes.Steps;

/// <summary>Roles: each role is created or updated, its permissions kept as role claims (type "Permission").</summary>
internal sealed class RolesStep(EmbassyDbContext db) : IRecipeStep
{
    public const string PermissionClaim = "Permission";
    public const string DescriptionClaim = "Description";

    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        if (context.Property("Roles") is not JsonArray roles)
        {
            throw new RecipeException("a Roles step needs a \"Roles\" array");
        }
        var created = 0;
        for (var i = 0; i < roles.Count; i++)
        {
            var role = roles[i] as JsonObject;
            var name = (role?["Name"] as JsonValue)?.ToString();
            if (string.IsNullOrWhiteSpace(name) || name.Length > 256)
            {
                throw new RecipeException($"Roles[{i}] needs a Name (at most 256 characters)");
            }
            var permissions = (role!["Permissions"] as JsonArray ?? []).Select(p => p?.ToString()).OfType<string>().Distinct().ToList();
            var normalized = name.ToUpperInvariant();
            var entity = await db.Roles.FirstOrDefaultAsync(r => r.NormalizedName == normalized, cancellationToken);
            if (entity is null)
            {
                entity = new IdentityRole(name) { NormalizedName = normalized };
                db.Roles.Add(entity);
                created++;
            }
            var claims = await db.RoleClaims.Where(c => c.RoleId == entity.Id).ToListAsync(cancellationToken);
            db.RoleClaims.RemoveRange(claims.Where(c => c.ClaimType is PermissionClaim or DescriptionClaim));
            foreach (var permission in permissions)
            {
                db.RoleClaims.Add(new IdentityRoleClaim<string> { RoleId = entity.Id, ClaimType = PermissionClaim, ClaimValue = permission });
            }
            if ((role["Description"] as JsonValue)?.ToString() is { Length: > 0 } description)
            {
                db.RoleClaims.Add(new IdentityRoleClaim<string> { RoleId = entity.Id, ClaimType = DescriptionClaim, ClaimValue = description });
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return $"{roles.Count} roles ({created} new)";
    }
}
