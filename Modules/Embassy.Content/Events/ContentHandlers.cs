using Embassy.Content.Data;
using Embassy.Content.Services;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Events;

/// <summary>Every publish, unpublish and delete gets its change-feed entry (what the app syncs from, and what the
/// standby and the API caches follow), in the change's transaction.</summary>
internal sealed class ChangeFeedHandler(ChangeFeed feed) : IContentHandler
{
    public async Task HandleAsync(ContentEvent change, CancellationToken cancellationToken)
    {
        if (!change.ChangesPublication)
        {
            return;
        }
        var kind = change.Kind switch
        {
            ContentEventKind.Published => ChangeKind.Published,
            ContentEventKind.Unpublished => ChangeKind.Unpublished,
            ContentEventKind.Deleted => ChangeKind.Deleted,
            _ => (ChangeKind?)null,
        };
        if (kind is { } k)
        {
            await feed.AppendAsync(k, change, cancellationToken);
        }
    }
}

/// <summary>
/// Keeps <see cref="ContentItemRecord.PublishedCultures"/> ("|en|pl|") on the published versions of a translation set:
/// the cultures the set is published in, which the lists' culture fallback reads instead of a subquery per row.
/// </summary>
internal sealed class PublishedCulturesHandler(EmbassyDbContext db) : IContentHandler
{
    public async Task HandleAsync(ContentEvent change, CancellationToken cancellationToken)
    {
        if (!change.ChangesPublication)
        {
            return;
        }
        var items = db.Set<ContentItemRecord>();
        foreach (var set in change.LocalizationSets)
        {
            var cultures = await items.AsNoTracking().Where(i => i.LocalizationSet == set && i.Published && i.Culture != null)
                .Select(i => i.Culture!).Distinct().ToListAsync(cancellationToken);
            var value = Of(cultures);
            await items.Where(i => i.LocalizationSet == set && i.Published)
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.PublishedCultures, value), cancellationToken);
        }
    }

    /// <summary>"|en|pl|" (ordinal order) of distinct cultures, or null for none.</summary>
    internal static string? Of(IReadOnlyCollection<string> cultures)
    {
        var sorted = cultures.Order(StringComparer.Ordinal).ToList();
        return sorted.Count == 0 ? null : "|" + string.Join('|', sorted) + "|";
    }
}
