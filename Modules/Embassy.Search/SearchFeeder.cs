using System.Runtime.CompilerServices;
using Embassy.Content.Data;
using Embassy.Content.Models;
using Embassy.Content.Services;
using Embassy.Core;
using Lucene.Net.Documents;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Search;

/// <summary>Reads published content as search documents: all of it (a build), or the items a stretch of the change feed touched.</summary>
public sealed class SearchFeeder(EmbassyDbContext db, PublishedContent published, ContentManager content, ChangeFeed feed)
{
    private const int Page = 200;

    public Task<long> HeadAsync(CancellationToken cancellationToken) => feed.GetHeadAsync(cancellationToken);

    /// <summary>Every published item of a searchable type, in pages by id; with <paramref name="latest"/> (the master) also
    /// every item's latest version, for the CMI.</summary>
    public async IAsyncEnumerable<(string Key, Document Document)> AllAsync(bool latest, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var definitions = await content.LoadDefinitionsAsync(cancellationToken);
        string? after = null;
        while (true)
        {
            var items = await published.SyncPageAsync(null, null, after, Page - 1, cancellationToken);
            if (items.Count == 0)
            {
                break;
            }
            var cultures = await SetCulturesAsync(items, cancellationToken);
            foreach (var item in items)
            {
                if (Document(item, definitions, cultures) is { } document)
                {
                    yield return (SearchDocuments.PublishedKind + ":" + item.ContentItemId, document);
                }
            }
            after = items[^1].ContentItemId;
            db.ChangeTracker.Clear();
        }
        if (!latest)
        {
            yield break;
        }
        after = null;
        while (true)
        {
            var page = await db.Set<ContentItemRecord>().AsNoTracking().Where(r => r.Latest && (after == null || string.Compare(r.ContentItemId, after) > 0))
                .OrderBy(r => r.ContentItemId).Take(Page).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }
            foreach (var record in page)
            {
                if (LatestDocument(ContentManager.ToModelPublic(record), definitions) is { } document)
                {
                    yield return (SearchDocuments.LatestKind + ":" + record.ContentItemId, document);
                }
            }
            after = page[^1].ContentItemId;
        }
    }

    /// <summary>The latest versions modified since <paramref name="sinceTicks"/> (up to <paramref name="limit"/>, oldest
    /// first), as documents for the CMI's search, and how far that reaches.</summary>
    public async Task<(List<(string Key, Document? Document)> Changes, long Reached)> LatestSinceAsync(long sinceTicks, int limit, CancellationToken cancellationToken)
    {
        var since = new DateTime(sinceTicks, DateTimeKind.Utc);
        var records = await db.Set<ContentItemRecord>().AsNoTracking().Where(r => r.Latest && r.ModifiedUtc >= since)
            .OrderBy(r => r.ModifiedUtc).Take(limit).ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            return ([], sinceTicks);
        }
        var definitions = await content.LoadDefinitionsAsync(cancellationToken);
        var changes = records.Select(r => (SearchDocuments.LatestKind + ":" + r.ContentItemId, LatestDocument(ContentManager.ToModelPublic(r), definitions))).ToList();
        // Reached: just after the newest seen, unless a full page may have left others of its very time for the next read.
        var newest = records[^1].ModifiedUtc.Ticks;
        return (changes, records.Count < limit ? newest + 1 : newest);
    }

    private static Document? LatestDocument(ContentItem item, ContentDefinitionSnapshot definitions) =>
        definitions.Types.TryGetValue(item.ContentType, out var type) && SearchDocuments.Searchable(type.Settings)
            ? SearchDocuments.Of(item, type.Settings, [], SearchDocuments.LatestKind)
            : null;

    /// <summary>What the feed's entries after <paramref name="after"/> change in the index (up to <paramref name="limit"/>
    /// entries): each touched item as it is published now (null: out of the index), with the rest of its translation
    /// set (whose published cultures may have changed); and the sequence reached.</summary>
    public async Task<(List<(string Key, Document? Document)> Changes, long Reached)> ChangesAsync(long after, int limit, bool latest, CancellationToken cancellationToken)
    {
        var entries = await feed.ReadAsync(after, limit, cancellationToken);
        if (entries.Count == 0)
        {
            return ([], after);
        }
        var ids = entries.Select(e => e.ContentItemId).Distinct(StringComparer.Ordinal).ToList();
        var items = (await published.GetManyAsync(ids, cancellationToken)).ToList();
        var sets = items.Select(i => i.LocalizationSet).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        // The other published items of the touched sets (and of sets an unpublished item was in: read from its last version).
        sets.AddRange(await db.Set<ContentItemRecord>().AsNoTracking().Where(r => ids.Contains(r.ContentItemId) && r.Latest && r.LocalizationSet != null)
            .Select(r => r.LocalizationSet!).ToListAsync(cancellationToken));
        sets = sets.Distinct(StringComparer.Ordinal).ToList();
        if (sets.Count > 0)
        {
            var siblings = await db.Set<ContentItemRecord>().AsNoTracking().Where(r => r.Published && sets.Contains(r.LocalizationSet!))
                .Select(r => r.ContentItemId).ToListAsync(cancellationToken);
            var more = siblings.Where(s => !ids.Contains(s)).Distinct(StringComparer.Ordinal).ToList();
            ids.AddRange(more);
            items.AddRange(await published.GetManyAsync(more, cancellationToken));
        }
        var definitions = await content.LoadDefinitionsAsync(cancellationToken);
        var cultures = await SetCulturesAsync(items, cancellationToken);
        var byId = items.ToDictionary(i => i.ContentItemId, StringComparer.Ordinal);
        var changes = ids.Select(id => (SearchDocuments.PublishedKind + ":" + id, byId.TryGetValue(id, out var item) ? Document(item, definitions, cultures) : null)).ToList();
        if (latest)
        {
            // Deleted: its latest version goes from the CMI's search too.
            var deleted = entries.Where(e => e.Kind == ChangeKind.Deleted).Select(e => e.ContentItemId).Distinct(StringComparer.Ordinal).ToList();
            var remaining = await db.Set<ContentItemRecord>().AsNoTracking().Where(r => deleted.Contains(r.ContentItemId)).Select(r => r.ContentItemId).ToListAsync(cancellationToken);
            changes.AddRange(deleted.Except(remaining).Select(id => (SearchDocuments.LatestKind + ":" + id, (Document?)null)));
        }
        return (changes, entries[^1].Sequence);
    }

    private static Document? Document(ContentItem item, ContentDefinitionSnapshot definitions, Dictionary<string, List<string>> cultures) =>
        definitions.Types.TryGetValue(item.ContentType, out var type) && SearchDocuments.Searchable(type.Settings)
            ? SearchDocuments.Of(item, type.Settings, item.LocalizationSet is { } set && cultures.TryGetValue(set, out var c) ? c : [.. new[] { item.Culture }.OfType<string>()])
            : null;

    /// <summary>Set → the cultures it is published in.</summary>
    private async Task<Dictionary<string, List<string>>> SetCulturesAsync(IReadOnlyCollection<ContentItem> items, CancellationToken cancellationToken)
    {
        var sets = items.Select(i => i.LocalizationSet).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (sets.Count == 0)
        {
            return [];
        }
        var rows = await db.Set<ContentItemRecord>().AsNoTracking().Where(r => r.Published && r.Culture != null && sets.Contains(r.LocalizationSet!))
            .Select(r => new { r.LocalizationSet, r.Culture }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.LocalizationSet!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Culture!).Distinct().ToList(), StringComparer.Ordinal);
    }
}
