using Embassy.Content.Data;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services;

/// <summary>A line of an editor's list: the latest version of an item and whether it is live.</summary>
public sealed record EditorListItem(string ContentItemId, string ContentType, string DisplayText, string? Culture, bool Published,
    bool HasDraft, DateTime ModifiedUtc, string? Author)
{
    /// <summary>A translation of it was edited since it last was (<see cref="TranslationStepRecord"/>).</summary>
    public bool Outdated { get; init; }
}

public enum EditorStatus
{
    All,
    Draft,
    Published,
    Scheduled,
}

public enum EditorSort
{
    Modified,
    Title,
    Created,
}

/// <summary>
/// What a user may see in the CMI: every item of the <paramref name="AllOf"/> types, and their own items
/// (owner id) of the <paramref name="OwnOf"/> types. Lists, counts and the dashboard all apply it.
/// </summary>
public sealed record EditorScope(IReadOnlyList<string> AllOf, IReadOnlyList<string> OwnOf, string? OwnerId);

/// <summary>What an editor's list shows: the type (null for all), a title search, status, culture, author, order and page.</summary>
public sealed record EditorListQuery(string? ContentType)
{
    public string? Search { get; init; }
    /// <summary>The items the search index found for <see cref="Search"/> (their latest versions hold the words, in any
    /// inflected form), found beside those whose title or stored JSON holds the text as written.</summary>
    public IReadOnlyList<string>? SearchIds { get; init; }
    public EditorStatus Status { get; init; }
    public string? Culture { get; init; }
    public string? Author { get; init; }
    public EditorSort Sort { get; init; }
    public bool Ascending { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
    /// <summary>Whose items and which types the user may see; null for no restriction (system callers).</summary>
    public EditorScope? Scope { get; init; }
}

/// <summary>Queries for the CMI: every item's latest version (drafts included), searched, filtered and paged.</summary>
public sealed class EditorQueries(EmbassyDbContext db)
{
    private IQueryable<ContentItemRecord> Latest => db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.Latest);

    /// <summary>The largest page number a list accepts: deeper pages are empty anyway, and the offset must not overflow.</summary>
    public const int MaxPage = 100_000;

    private static IQueryable<ContentItemRecord> Within(IQueryable<ContentItemRecord> items, EditorScope? scope)
    {
        if (scope is null)
        {
            return items;
        }
        var all = scope.AllOf.ToList();
        var own = scope.OwnOf.ToList();
        var owner = scope.OwnerId;
        return owner is null
            ? items.Where(i => all.Contains(i.ContentType))
            : items.Where(i => all.Contains(i.ContentType) || (i.Owner == owner && own.Contains(i.ContentType)));
    }

    public async Task<(IReadOnlyList<EditorListItem> Items, int Total)> ListAsync(EditorListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var items = Within(Latest, query.Scope);
        if (query.ContentType is not null)
        {
            items = items.Where(i => i.ContentType == query.ContentType);
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Titles and the item's text (the stored JSON: a body, a summary, an address), where non-ASCII letters are kept
            // \u-escaped, so the term is looked for as written and as escaped; and, with the search index, every item it
            // found (other forms of the words, no diacritics) — the text as written is found even before the index has an
            // item just saved.
            var term = query.Search.Trim();
            var escaped = System.Text.Json.JsonSerializer.Serialize(term)[1..^1];
            var ids = (query.SearchIds ?? []).ToList();
            items = items.Where(i => i.DisplayText.Contains(term) || i.Data.Contains(term) || i.Data.Contains(escaped) || ids.Contains(i.ContentItemId));
        }
        if (query.Culture is not null)
        {
            items = items.Where(i => i.Culture == query.Culture);
        }
        if (!string.IsNullOrWhiteSpace(query.Author))
        {
            var author = query.Author.Trim();
            items = items.Where(i => i.Author == author || i.Owner == author);
        }
        var published = db.Set<ContentItemRecord>().Where(p => p.Published);
        items = query.Status switch
        {
            EditorStatus.Draft => items.Where(i => !i.Published),
            EditorStatus.Published => items.Where(i => published.Any(p => p.ContentItemId == i.ContentItemId)),
            EditorStatus.Scheduled => items.Where(i => (!i.Published && i.ScheduledPublishUtc != null) || published.Any(p => p.ContentItemId == i.ContentItemId && p.ScheduledUnpublishUtc != null)),
            _ => items,
        };
        var total = await items.CountAsync(cancellationToken);
        items = (query.Sort, query.Ascending) switch
        {
            (EditorSort.Title, true) => items.OrderBy(i => i.DisplayText).ThenBy(i => i.Id),
            (EditorSort.Title, false) => items.OrderByDescending(i => i.DisplayText).ThenByDescending(i => i.Id),
            (EditorSort.Created, true) => items.OrderBy(i => i.CreatedUtc).ThenBy(i => i.Id),
            (EditorSort.Created, false) => items.OrderByDescending(i => i.CreatedUtc).ThenByDescending(i => i.Id),
            (_, true) => items.OrderBy(i => i.ModifiedUtc).ThenBy(i => i.Id),
            _ => items.OrderByDescending(i => i.ModifiedUtc).ThenByDescending(i => i.Id),
        };
        var page = Math.Clamp(query.Page, 1, MaxPage);
        var rows = await items.Skip((page - 1) * query.PageSize).Take(query.PageSize)
            .Select(i => new
            {
                i.ContentItemId, i.ContentType, i.DisplayText, i.Culture, i.Published, i.ModifiedUtc, i.Author,
                Live = published.Any(p => p.ContentItemId == i.ContentItemId),
            })
            .ToListAsync(cancellationToken);
        var outdated = await OutdatedAsync(rows.Select(r => r.ContentItemId).ToList(), cancellationToken);
        return (rows.Select(r => new EditorListItem(r.ContentItemId, r.ContentType, r.DisplayText, r.Culture, r.Live, !r.Published, r.ModifiedUtc, r.Author)
            { Outdated = outdated.Contains(r.ContentItemId) }).ToList(), total);
    }

    /// <summary>Of these items, those behind their translation set: a translation was edited since they last were.</summary>
    public async Task<IReadOnlySet<string>> OutdatedAsync(IReadOnlyCollection<string> contentItemIds, CancellationToken cancellationToken)
    {
        if (contentItemIds.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        var behind = await Behind().Where(id => contentItemIds.Contains(id)).ToListAsync(cancellationToken);
        return behind.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The ids of items behind their translation set: another item of the set is further on.</summary>
    private IQueryable<string> Behind()
    {
        var steps = db.Set<TranslationStepRecord>();
        return steps.Where(s => steps.Any(o => o.LocalizationSet == s.LocalizationSet && o.InStepWith > s.InStepWith)).Select(s => s.ContentItemId);
    }

    /// <summary>Items behind their translations that this user may see, most recently changed set first (for the dashboard).</summary>
    public async Task<IReadOnlyList<(string Id, string Title, string Type, string? Culture)>> OutdatedTranslationsAsync(EditorScope? scope, int take,
        CancellationToken cancellationToken)
    {
        var behind = Behind();
        var items = Within(Latest, scope).Where(i => behind.Contains(i.ContentItemId));
        return (await items.OrderByDescending(i => i.ModifiedUtc).Take(take).Select(i => new { i.ContentItemId, i.DisplayText, i.ContentType, i.Culture })
            .ToListAsync(cancellationToken)).Select(i => (i.ContentItemId, i.DisplayText, i.ContentType, i.Culture)).ToList();
    }

    /// <summary>Who has written items (of a type, or all): for the author filter.</summary>
    public async Task<IReadOnlyList<string>> AuthorsAsync(string? contentType, CancellationToken cancellationToken) =>
        await Latest.Where(i => contentType == null || i.ContentType == contentType).Where(i => i.Author != null)
            .Select(i => i.Author!).Distinct().OrderBy(a => a).Take(200).ToListAsync(cancellationToken);

    /// <summary>Items a content picker offers (latest versions of the given types, or of every type), by title.</summary>
    /// <summary>
    /// What a content picker offers (at most 500, by title): the latest version of the items the user may edit (their
    /// drafts included), and the published version of every other item — never the title of someone else's draft.
    /// </summary>
    public async Task<IReadOnlyList<(string Id, string Title, string Type, string? Culture)>> PickableAsync(IReadOnlyList<string> types, EditorScope? scope,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(types);
        IQueryable<ContentItemRecord> OfTypes(IQueryable<ContentItemRecord> items) => types.Count > 0 ? items.Where(i => types.Contains(i.ContentType)) : items;
        var editable = await OfTypes(Within(Latest, scope)).OrderBy(i => i.DisplayText).Take(500)
            .Select(i => new { i.ContentItemId, i.DisplayText, i.ContentType, i.Culture }).ToListAsync(cancellationToken);
        var rows = editable;
        if (scope is not null)
        {
            var mine = editable.Select(r => r.ContentItemId).ToHashSet(StringComparer.Ordinal);
            var published = await OfTypes(db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.Published)).OrderBy(i => i.DisplayText).Take(500 + mine.Count)
                .Select(i => new { i.ContentItemId, i.DisplayText, i.ContentType, i.Culture }).ToListAsync(cancellationToken);
            rows = editable.Concat(published.Where(p => !mine.Contains(p.ContentItemId)))
                .OrderBy(r => r.DisplayText, StringComparer.CurrentCulture).Take(500).ToList();
        }
        return rows.Select(r => (r.ContentItemId, r.DisplayText, r.ContentType, r.Culture)).ToList();
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
    public async Task<IReadOnlyList<(string Id, string Title, string Type, DateTime At, bool Publish)>> ScheduledAsync(EditorScope? scope, CancellationToken cancellationToken)
    {
        var publish = await Within(Latest, scope).Where(i => !i.Published && i.ScheduledPublishUtc != null)
            .Select(i => new { i.ContentItemId, i.DisplayText, i.ContentType, At = i.ScheduledPublishUtc!.Value }).ToListAsync(cancellationToken);
        var unpublish = await Within(db.Set<ContentItemRecord>().AsNoTracking(), scope).Where(i => i.Published && i.ScheduledUnpublishUtc != null)
            .Select(i => new { i.ContentItemId, i.DisplayText, i.ContentType, At = i.ScheduledUnpublishUtc!.Value }).ToListAsync(cancellationToken);
        return publish.Select(p => (p.ContentItemId, p.DisplayText, p.ContentType, p.At, true))
            .Concat(unpublish.Select(u => (u.ContentItemId, u.DisplayText, u.ContentType, u.At, false)))
            .OrderBy(x => x.Item4).Take(20).ToList();
    }

    /// <summary>How many items each type has (latest versions).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(EditorScope? scope, CancellationToken cancellationToken) =>
        await Within(Latest, scope).GroupBy(i => i.ContentType).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
}
