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

/// <summary>
/// Keeps translations in step (<see cref="TranslationStepRecord"/>). Saving an item that was in step with its set
/// moves the set on (its translations are now behind); saving one that was behind catches it up, without moving the
/// set (so that updating a translation does not in turn mark the original outdated). A new translation starts in step.
/// </summary>
internal sealed class TranslationStepHandler(EmbassyDbContext db) : IContentHandler
{
    public async Task HandleAsync(ContentEvent change, CancellationToken cancellationToken)
    {
        var steps = db.Set<TranslationStepRecord>();
        if (change.Kind == ContentEventKind.Deleted)
        {
            await steps.Where(s => s.ContentItemId == change.ContentItemId).ExecuteDeleteAsync(cancellationToken);
            return;
        }
        if (change.Kind is not (ContentEventKind.Created or ContentEventKind.DraftSaved))
        {
            return;
        }
        var set = await db.Set<ContentItemRecord>().Where(r => r.ContentItemId == change.ContentItemId && r.Latest)
            .Select(r => r.LocalizationSet).FirstOrDefaultAsync(cancellationToken);
        var mine = await steps.FirstOrDefaultAsync(s => s.ContentItemId == change.ContentItemId, cancellationToken);
        if (set is null)
        {
            if (mine is not null)
            {
                steps.Remove(mine);
                await db.SaveChangesAsync(cancellationToken);
            }
            return;
        }
        var revision = await RevisionOfOthersAsync(steps, set, change.ContentItemId, cancellationToken);
        if (mine is null && change.Kind == ContentEventKind.DraftSaved)
        {
            // Edited, and not tracked yet (its set was given to it when its first translation was made, or it predates
            // this tracking): taken as in step until now, so this edit moves the set on.
            steps.Add(new TranslationStepRecord { ContentItemId = change.ContentItemId, LocalizationSet = set, InStepWith = revision + 1 });
        }
        else if (mine is null || mine.LocalizationSet != set)
        {
            // New here (created as a translation, or moved from another set): in step with what the set is now.
            mine ??= steps.Add(new TranslationStepRecord { ContentItemId = change.ContentItemId }).Entity;
            mine.LocalizationSet = set;
            mine.InStepWith = revision;
        }
        else
        {
            // In step (or ahead): this edit moves the set on; behind: this edit catches up.
            mine.InStepWith = mine.InStepWith >= revision ? Math.Max(mine.InStepWith, revision) + 1 : revision;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>How far the rest of a set is: the highest <see cref="TranslationStepRecord.InStepWith"/> of its other items (0 for none).</summary>
    internal static async Task<int> RevisionOfOthersAsync(DbSet<TranslationStepRecord> steps, string set, string contentItemId, CancellationToken cancellationToken) =>
        await steps.Where(s => s.LocalizationSet == set && s.ContentItemId != contentItemId).MaxAsync(s => (int?)s.InStepWith, cancellationToken) ?? 0;
}
