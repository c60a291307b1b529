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

    /// <summary>Every published item of a searchable type, in pages by id.</summary>
    public async IAsyncEnumerable<(string Id, Document Document)> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var definitions = await content.LoadDefinitionsAsync(cancellationToken);
        string? after = null;
        while (true)
        {
            var items = await published.SyncPageAsync(null, null, after, Page - 1, cancellationToken);
            if (items.Count == 0)
            {
                yield break;
            }
            var cultures = await SetCulturesAsync(items, cancellationToken);
            foreach (var item in items)
            {
                if (Document(item, definitions, cultures) is { } document)
                {
                    yield return (item.ContentItemId, document);
                }
            }
            after = items[^1].ContentItemId;
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>What the feed's entries after <paramref name="after"/> change in the index (up to <paramref name="limit"/>
    /// entries): each touched item as it is published now (null: out of the index), with the rest of its translation
    /// set (whose published cultures may have changed); and the sequence reached.</summary>
    public async Task<(List<(string Id, Document? Document)> Changes, long Reached)> ChangesAsync(long after, int limit, CancellationToken cancellationToken)
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
        var changes = ids.Select(id => (id, byId.TryGetValue(id, out var item) ? Document(item, definitions, cultures) : null)).ToList();
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
