using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Embassy.Content.Data;
using Embassy.Core;
using Embassy.Media.Data;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Recipes.Tests;

/// <summary>Everything a recipe can write — every table it touches and every file under the data directory — as one string.</summary>
internal static class SiteSnapshot
{
    public static async Task<string> TakeAsync(TestSite site)
    {
        var sb = new StringBuilder();
        await site.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<EmbassyDbContext>();
            Append(sb, "items", await db.Set<ContentItemRecord>().AsNoTracking().OrderBy(x => x.Id).ToListAsync());
            Append(sb, "types", await db.Set<ContentTypeRecord>().AsNoTracking().OrderBy(x => x.Name).ToListAsync());
            Append(sb, "parts", await db.Set<ContentPartRecord>().AsNoTracking().OrderBy(x => x.Name).ToListAsync());
            Append(sb, "feed", await db.Set<ChangeFeedEntry>().AsNoTracking().OrderBy(x => x.Sequence).ToListAsync());
            Append(sb, "head", await db.Set<ChangeFeedHead>().AsNoTracking().ToListAsync());
            Append(sb, "settings", await db.Set<SiteSettingsRecord>().AsNoTracking().ToListAsync());
            Append(sb, "roles", await db.Roles.AsNoTracking().OrderBy(x => x.Name).Select(r => new { r.Name, r.NormalizedName }).ToListAsync());
            Append(sb, "claims", await db.RoleClaims.AsNoTracking().OrderBy(x => x.Id).Select(c => new { c.ClaimType, c.ClaimValue }).ToListAsync());
            Append(sb, "media", await db.Set<MediaFileRecord>().AsNoTracking().OrderBy(x => x.Path).ToListAsync());
        });
        foreach (var file in Directory.EnumerateFiles(site.DataDirectory, "*", SearchOption.AllDirectories)
                     .Where(f => !Path.GetFileName(f).StartsWith("embassy.db", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            sb.Append("file ").Append(Path.GetRelativePath(site.DataDirectory, file)).Append(' ')
              .AppendLine(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
        }
        return sb.ToString();
    }

    private static void Append<T>(StringBuilder sb, string name, List<T> rows) =>
        sb.Append(name).Append(": ").AppendLine(JsonSerializer.Serialize(rows));
}
