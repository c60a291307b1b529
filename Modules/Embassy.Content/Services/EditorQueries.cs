using Embassy.Content.Data;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services;

/// <summary>A line of an editor's list: the latest version of an item and whether it is live.</summary>
public sealed record EditorListItem(string ContentItemId, string ContentType, string DisplayText, string? Culture, bool Published,
    bool HasDraft, DateTime ModifiedUtc, string? Author);

public enum EditorStatus
{
    All,
    Draft,
    Published,
}

/// <summary>Queries for the CMI: every item's latest version (drafts included), searched, filtered and paged.</summary>
public sealed class EditorQueries(EmbassyDbContext db)
{
    private IQueryable<ContentItemRecord> Latest => db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.Latest);

    public async Task<(IReadOnlyList<EditorListItem> Items, int Total)> ListAsync(string? contentType, string? search, EditorStatus status, string? culture,
        int page, int pageSize, CancellationToken cancellationToken)
    {
        var items = Latest;
        if (contentType is not null)
        {
            items = items.Where(i => i.ContentType == contentType);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            items = items.Where(i => i.DisplayText.Contains(term));
        }
        if (culture is not null)
        {
            items = items.Where(i => i.Culture == culture);
        }
        var published = db.Set<ContentItemRecord>().Where(p => p.Published);
        items = status switch
        {
            EditorStatus.Draft => items.Where(i => !i.Published),
            EditorStatus.Published => items.Where(i => published.Any(p => p.ContentItemId == i.ContentItemId)),
            _ => items,
        };
        var total = await items.CountAsync(cancellationToken);
        var rows = await items.OrderByDescending(i => i.ModifiedUtc).Skip(Math.Max(0, page - 1) * pageSize).Take(pageSize)
            .Select(i => new
            {
                i.ContentItemId, i.ContentType, i.DisplayText, i.Culture, i.Published, i.ModifiedUtc, i.Author,
                Live = published.Any(p => p.ContentItemId == i.ContentItemId),
            })
            .ToListAsync(cancellationToken);
        return (rows.Select(r => new EditorListItem(r.ContentItemId, r.ContentType, r.DisplayText, r.Culture, r.Live, !r.Published, r.ModifiedUtc, r.Author)).ToList(), total);
    }

    /// <summary>The items of a localization set (latest versions, drafts included): culture → id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> TranslationsAsync(string localizationSet, CancellationToken cancellationToken) =>
        await Latest.Where(i => i.LocalizationSet == localizationSet && i.Culture != null)
            .ToDictionaryAsync(i => i.Culture!, i => i.ContentItemId, cancellationToken);

    /// <summary>Titles of the items (latest or published versions) whose content names a media path.</summary>
    public async Task<IReadOnlyList<string>> UsingMediaAsync(string path, CancellationToken cancellationToken)
    {
        var quoted = System.Text.Json.JsonSerializer.Serialize(path); // as it appears in the stored JSON, quotes included
        return await db.Set<ContentItemRecord>().AsNoTracking().Where(i => (i.Latest || i.Published) && i.Data.Contains(quoted))
            .Select(i => i.DisplayText).Distinct().Take(20).ToListAsync(cancellationToken);
    }

    /// <summary>Items waiting for a scheduled publication or unpublication, soonest first.</summary>
    public async Task<IReadOnlyList<(string Id, string Title, string Type, DateTime At, bool Publish)>> ScheduledAsync(CancellationToken cancellationToken)
    {
        var publish = await Latest.Where(i => !i.Published && i.ScheduledPublishUtc != null)
            .Select(i => new { i.ContentItemId, i.DisplayText, i.ContentType, At = i.ScheduledPublishUtc!.Value }).ToListAsync(cancellationToken);
        var unpublish = await db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.Published && i.ScheduledUnpublishUtc != null)
            .Select(i => new { i.ContentItemId, i.DisplayText, i.ContentType, At = i.ScheduledUnpublishUtc!.Value }).ToListAsync(cancellationToken);
        return publish.Select(p => (p.ContentItemId, p.DisplayText, p.ContentType, p.At, true))
            .Concat(unpublish.Select(u => (u.ContentItemId, u.DisplayText, u.ContentType, u.At, false)))
            .OrderBy(x => x.Item4).Take(20).ToList();
    }

    /// <summary>How many items each type has (latest versions).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken) =>
        await Latest.GroupBy(i => i.ContentType).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
}
