using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Core;

/// <summary>The site's settings as one JSON document (SiteName, TimeZoneId, BaseUrl, cultures, and whatever
/// a recipe's settings step brings, kept as it came).</summary>
public sealed class SiteSettingsRecord
{
    public int Id { get; set; }
    public string Document { get; set; } = "{}";
    public DateTime? SetupCompletedUtc { get; set; }
}

public sealed class SiteSettingsStore(EmbassyDbContext db, IEnumerable<IDefinitionsVersion> definitions)
{
    public async Task<JsonObject> GetAsync(CancellationToken cancellationToken)
    {
        var record = await db.Set<SiteSettingsRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == 1, cancellationToken);
        return record is null ? [] : (JsonNode.Parse(record.Document) as JsonObject ?? []);
    }

    /// <summary>Merges top-level keys into the document; returns the keys that changed. A change moves the definitions
    /// version (<see cref="IDefinitionsVersion"/>), so every server's caches of settings (cultures, media profiles…)
    /// read them again, whichever path changed them: the CMI, a recipe, a restore.</summary>
    public async Task<IReadOnlyList<string>> MergeAsync(JsonObject values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var record = await GetOrAddAsync(cancellationToken);
        var document = JsonNode.Parse(record.Document) as JsonObject ?? [];
        var changed = new List<string>();
        foreach (var (key, value) in values)
        {
            if (!JsonNode.DeepEquals(document[key], value))
            {
                document[key] = value?.DeepClone();
                changed.Add(key);
            }
        }
        record.Document = document.ToJsonString();
        await db.SaveChangesAsync(cancellationToken);
        if (changed.Count > 0)
        {
            foreach (var version in definitions)
            {
                await version.BumpAsync(cancellationToken);
            }
        }
        return changed;
    }

    public async Task<DateTime?> GetSetupCompletedAsync(CancellationToken cancellationToken) =>
        await db.Set<SiteSettingsRecord>().AsNoTracking().Where(s => s.Id == 1).Select(s => s.SetupCompletedUtc).FirstOrDefaultAsync(cancellationToken);

    public async Task MarkSetupCompletedAsync(DateTime utcNow, CancellationToken cancellationToken)
    {
        var record = await GetOrAddAsync(cancellationToken);
        record.SetupCompletedUtc = utcNow;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<SiteSettingsRecord> GetOrAddAsync(CancellationToken cancellationToken)
    {
        var record = await db.Set<SiteSettingsRecord>().FirstOrDefaultAsync(s => s.Id == 1, cancellationToken);
        if (record is null)
        {
            record = new SiteSettingsRecord { Id = 1 };
            db.Add(record);
        }
        return record;
    }
}
