using Embassy.Content.Data;
using Embassy.Content.Models;
using Embassy.Content.Services;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Preview;

/// <summary>
/// What a live preview token shows: the latest versions, drafts included, of the items it covers (one, or all), by
/// id, alias, path or in a list page. Only the API's preview answers read through this (never cached, never shared).
/// </summary>
public sealed class DraftPreview(EmbassyDbContext db, PublishedContent published)
{
    /// <summary>The most never-published drafts one list page takes in (newest edits first): a preview, not an archive.</summary>
    public const int MaxNewDraftsPerPage = 100;

    private IQueryable<ContentItemRecord> Items => db.Set<ContentItemRecord>().AsNoTracking();

    public static bool Covers(PreviewTokenRecord token, string contentItemId)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.ContentItemId is null || string.Equals(token.ContentItemId, contentItemId, StringComparison.Ordinal);
    }

    /// <summary>The latest version of the item with this alias — the alias its draft has, else its published one.</summary>
    public Task<ContentItem?> ByAliasAsync(string alias, CancellationToken cancellationToken) =>
        FindAsync(i => i.Alias == alias, cancellationToken);

    /// <summary>The latest version of the item at this path — the path its draft has, else its published one.</summary>
    public Task<ContentItem?> ByPathAsync(string path, CancellationToken cancellationToken) =>
        FindAsync(i => i.Path == path, cancellationToken);

    private async Task<ContentItem?> FindAsync(System.Linq.Expressions.Expression<Func<ContentItemRecord, bool>> where, CancellationToken cancellationToken)
    {
        var latest = await Items.Where(i => i.Latest).Where(where).OrderBy(i => i.Id).FirstOrDefaultAsync(cancellationToken);
        if (latest is null)
        {
            // Renamed in a draft: the published version still answers at the old alias or path, and shows its draft.
            var id = await Items.Where(i => i.Published).Where(where).OrderBy(i => i.Id).Select(i => i.ContentItemId).FirstOrDefaultAsync(cancellationToken);
            latest = id is null ? null : await Items.FirstOrDefaultAsync(i => i.ContentItemId == id && i.Latest, cancellationToken);
        }
        return latest is null ? null : ContentJson.ToModel(latest);
    }

    /// <summary>
    /// A list page as the token sees it: the published page with each covered item's draft in its place, and the covered
    /// drafts never published yet merged in where their order puts them (newest-first lists: at the top of the first
    /// page, where they will be once published). Paging follows the published list, so a page may hold more than the
    /// limit. The next page's cursor, if any, comes back as the published list's.
    /// </summary>
    public async Task<(IReadOnlyList<ContentItem> Items, ContentCursor? Next)> ListAsync(ContentListQuery query, PreviewTokenRecord token,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(token);
        var read = await published.ListAsync(query, cancellationToken);
        var more = read.Count > query.Limit;
        var page = (more ? read.Take(query.Limit) : read).ToList();
        var next = more ? PublishedContent.CursorOf(page[^1], query.Order) : null;

        var covered = page.Select(i => i.ContentItemId).Where(id => Covers(token, id)).ToList();
        if (covered.Count > 0)
        {
            var drafts = await Items.Where(i => covered.Contains(i.ContentItemId) && i.Latest && !i.Published).ToListAsync(cancellationToken);
            var byId = drafts.ToDictionary(d => d.ContentItemId, ContentJson.ToModel, StringComparer.Ordinal);
            page = page.Select(i => byId.GetValueOrDefault(i.ContentItemId) ?? i).ToList();
        }

        var fresh = (await NewDraftsAsync(query, token, cancellationToken)).Where(d => OnThisPage(d, query, next)).ToList();
        if (fresh.Count == 0)
        {
            return (page, next);
        }
        IEnumerable<ContentItem> merged = query.Order switch
        {
            ContentOrder.Start => page.Concat(fresh).OrderBy(i => i.StartUtc ?? PublishedContent.NoDate).ThenBy(i => i.ContentItemId, StringComparer.Ordinal),
            ContentOrder.Order => page.Concat(fresh).OrderBy(i => i.SortOrder ?? PublishedContent.NoNumber).ThenBy(i => i.ContentItemId, StringComparer.Ordinal),
            _ => fresh.OrderByDescending(i => i.ModifiedUtc).Concat(page),
        };
        return (merged.ToList(), next);
    }

    /// <summary>Covered drafts of the list's type never published, in its cultures (one per translation set, by the chain).</summary>
    private async Task<IReadOnlyList<ContentItem>> NewDraftsAsync(ContentListQuery query, PreviewTokenRecord token, CancellationToken cancellationToken)
    {
        var cultures = query.Cultures.ToList();
        var drafts = Items.Where(i => i.Latest && !i.Published && i.ContentType == query.ContentType && (i.Culture == null || cultures.Contains(i.Culture))
            && !Items.Any(p => p.ContentItemId == i.ContentItemId && p.Published));
        if (token.ContentItemId is { } only)
        {
            drafts = drafts.Where(i => i.ContentItemId == only);
        }
        if (query.EndsAfter is { } endsAfter)
        {
            drafts = drafts.Where(i => i.EndUtc == null || i.EndUtc > endsAfter);
        }
        var found = await drafts.OrderByDescending(i => i.ModifiedUtc).Take(MaxNewDraftsPerPage).ToListAsync(cancellationToken);
        var sets = found.Select(d => d.LocalizationSet).OfType<string>().Distinct().ToList();
        // Where a set is published already, the list shows it in its best published culture: a new draft of the set in
        // a later culture of the chain is not shown as well.
        var publishedIn = sets.Count == 0 ? [] : await Items.Where(i => i.Published && i.LocalizationSet != null && sets.Contains(i.LocalizationSet))
            .Select(i => new { Set = i.LocalizationSet!, i.Culture }).ToListAsync(cancellationToken);
        int Rank(string? culture) => culture is null ? -1 : cultures.IndexOf(culture);
        return found
            .GroupBy(d => d.LocalizationSet ?? d.ContentItemId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(d => Rank(d.Culture)).First())
            .Where(d => d.LocalizationSet is null || !publishedIn.Any(p => p.Set == d.LocalizationSet && Rank(p.Culture) < Rank(d.Culture)))
            .Select(ContentJson.ToModel)
            .ToList();
    }

    /// <summary>Whether a new draft's place in the order falls on this page: after the cursor, and up to the page's last item when more follow.</summary>
    private static bool OnThisPage(ContentItem draft, ContentListQuery query, ContentCursor? next)
    {
        switch (query.Order)
        {
            case ContentOrder.Start:
                {
                    var key = (draft.StartUtc ?? PublishedContent.NoDate, draft.ContentItemId);
                    return (query.After is not { } after || Compare(key, (after.Date ?? PublishedContent.NoDate, after.ContentItemId)) > 0)
                        && (next is null || Compare(key, (next.Date ?? PublishedContent.NoDate, next.ContentItemId)) <= 0);
                }
            case ContentOrder.Order:
                {
                    var key = (draft.SortOrder ?? PublishedContent.NoNumber, draft.ContentItemId);
                    return (query.After is not { } after || Compare(key, (after.Number ?? PublishedContent.NoNumber, after.ContentItemId)) > 0)
                        && (next is null || Compare(key, (next.Number ?? PublishedContent.NoNumber, next.ContentItemId)) <= 0);
                }
            default:
                // Newest first: a draft published now would be the newest of all.
                return query.After is null;
        }
    }

    private static int Compare<T>((T Key, string Id) a, (T Key, string Id) b) where T : IComparable<T>
    {
        var byKey = a.Key.CompareTo(b.Key);
        return byKey != 0 ? byKey : string.CompareOrdinal(a.Id, b.Id);
    }
}
