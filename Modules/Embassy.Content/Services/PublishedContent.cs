using System.Linq.Expressions;
using Embassy.Content.Data;
using Embassy.Content.Models;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services;

public enum ContentOrder
{
    /// <summary>Newest publication first.</summary>
    Published,
    /// <summary>Earliest start first (events), by the type's StartField.</summary>
    Start,
    /// <summary>The type's OrderField ascending (consular services, FAQs).</summary>
    Order,
}

/// <summary>Where a page ended: the sort key of its last item and its id, which breaks ties.</summary>
public sealed record ContentCursor(DateTime? Date, double? Number, string ContentItemId);

/// <summary>
/// One entry of a list page: the version served, its publication date (a published version's columns never change
/// while this stays the same, so the pair names its content) and its sort key (date or number).
/// </summary>
public sealed record ListedVersion(string ContentItemId, string ContentItemVersionId, DateTime? PublishedUtc, DateTime? SortDate, double? SortNumber);

public sealed record ContentListQuery(string ContentType, IReadOnlyList<string> Cultures, ContentOrder Order, int Limit)
{
    public ContentCursor? After { get; init; }
    /// <summary>Only items whose end (EndUtc) is after this time, or that have none (active alerts, upcoming events).</summary>
    public DateTime? EndsAfter { get; init; }
}

/// <summary>
/// Read-only queries over published content for the mobile API: lists with keyset pagination (stable
/// while editors publish), culture fallback, lookups by id, alias, path and translation, and the
/// delta sync's reads. Works the same on the standby's replica, so a cursor from one server works on the other.
/// </summary>
public sealed class PublishedContent(EmbassyDbContext db)
{
    /// <summary>Stored as the start of an item whose type sorts by start but which has none: it sorts last.</summary>
    public static readonly DateTime NoDate = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Stored as the order of an item whose type sorts by a number but which has none: it sorts last.</summary>
    public const double NoNumber = 1e300;

    /// <summary>Tags the list queries (an SQL comment), to find them in the database's logs.</summary>
    public const string ListQueryTag = "embassy:list";

    private IQueryable<ContentItemRecord> Published => db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.Published);

    // The list pages the app asks for most (a fallback chain of one or two cultures) run as compiled queries:
    // EF Core then skips building, hashing and looking up the expression tree on every request (measured on
    // the cold list: about 20% more requests/s). Optional filters are parameters that may be null; EF Core
    // keeps one SQL text per combination of null parameters, so an absent filter costs nothing in SQL.
    // A compiled query belongs to the model it was compiled for; each model (a provider, or a test host) gets its own.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, ListQueries> CompiledQueries = [];

    /// <summary>The columns a published item needs in the API (not the editors' ones: owner, author, schedules).</summary>
    private static readonly Expression<Func<ContentItemRecord, ContentItemRecord>> ApiColumns = i => new ContentItemRecord
    {
        ContentItemId = i.ContentItemId, ContentItemVersionId = i.ContentItemVersionId, ContentType = i.ContentType, DisplayText = i.DisplayText,
        Culture = i.Culture, LocalizationSet = i.LocalizationSet, Alias = i.Alias, Path = i.Path, Published = true, Latest = i.Latest,
        PublishedUtc = i.PublishedUtc, ModifiedUtc = i.ModifiedUtc, StartUtc = i.StartUtc, EndUtc = i.EndUtc, SortOrder = i.SortOrder, Data = i.Data,
    };

    // A list page's query, for a chain of one or two cultures, is the candidates (in culture c1 or neutral, else in
    // c2 when the item's set has nothing published in c1 — c1Pattern finds c1 in PublishedCultures —, ending after
    // endsAfter if given), then the page of its order after the cursor (afterKey, afterId) if given. Each order's
    // query is compiled twice: reading the page's versions from its index alone, or reading whole items.
    private static readonly Expression<Func<EmbassyDbContext, string, string, string, string?, DateTime?, IQueryable<ContentItemRecord>>> Candidates =
        (db, type, c1, c1Pattern, c2, endsAfter) => db.Set<ContentItemRecord>().AsNoTracking().TagWith(ListQueryTag)
            .Where(i => i.Published && i.ContentType == type && (i.Culture == null || i.Culture == c1 ||
                (c2 != null && i.Culture == c2 && (i.PublishedCultures == null || !EF.Functions.Like(i.PublishedCultures, c1Pattern)))))
            .Where(i => endsAfter == null || i.EndUtc == null || i.EndUtc > endsAfter);

    private static readonly Expression<Func<IQueryable<ContentItemRecord>, DateTime?, string?, int, IQueryable<ContentItemRecord>>> ByPublished =
        (items, afterDate, afterId, take) => items
            .Where(i => afterId == null || i.PublishedUtc < afterDate || (i.PublishedUtc == afterDate && string.Compare(i.ContentItemId, afterId) < 0))
            .OrderByDescending(i => i.PublishedUtc).ThenByDescending(i => i.ContentItemId).Take(take);

    private static readonly Expression<Func<IQueryable<ContentItemRecord>, DateTime?, string?, int, IQueryable<ContentItemRecord>>> ByStart =
        (items, afterDate, afterId, take) => items
            .Where(i => afterId == null || i.StartUtc > afterDate || (i.StartUtc == afterDate && string.Compare(i.ContentItemId, afterId) > 0))
            .OrderBy(i => i.StartUtc).ThenBy(i => i.ContentItemId).Take(take);

    private static readonly Expression<Func<IQueryable<ContentItemRecord>, double?, string?, int, IQueryable<ContentItemRecord>>> ByOrder =
        (items, afterNumber, afterId, take) => items
            .Where(i => afterId == null || i.SortOrder > afterNumber || (i.SortOrder == afterNumber && string.Compare(i.ContentItemId, afterId) > 0))
            .OrderBy(i => i.SortOrder).ThenBy(i => i.ContentItemId).Take(take);

    /// <summary>The candidates, then the page of an order, then a projection: one query with the parameters of all three.</summary>
    private static Expression<Func<EmbassyDbContext, string, string, string, string?, DateTime?, TAfter, string?, int, IQueryable<TResult>>> ListQuery<TAfter, TResult>(
        Expression<Func<IQueryable<ContentItemRecord>, TAfter, string?, int, IQueryable<ContentItemRecord>>> page,
        Expression<Func<ContentItemRecord, TResult>> projection)
    {
        var paged = new ParameterReplacer(page.Parameters[0], Candidates.Body).Visit(page.Body);
        var projected = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(ContentItemRecord), typeof(TResult)], paged, Expression.Quote(projection));
        return Expression.Lambda<Func<EmbassyDbContext, string, string, string, string?, DateTime?, TAfter, string?, int, IQueryable<TResult>>>(
            projected, [.. Candidates.Parameters, .. page.Parameters.Skip(1)]);
    }

    // What a page's version entry reads, per order: only columns of that order's index.
    private static readonly Expression<Func<ContentItemRecord, ListedVersion>> PublishedVersion =
        i => new ListedVersion(i.ContentItemId, i.ContentItemVersionId, i.PublishedUtc, i.PublishedUtc, null);
    private static readonly Expression<Func<ContentItemRecord, ListedVersion>> StartVersion =
        i => new ListedVersion(i.ContentItemId, i.ContentItemVersionId, i.PublishedUtc, i.StartUtc, null);
    private static readonly Expression<Func<ContentItemRecord, ListedVersion>> OrderVersion =
        i => new ListedVersion(i.ContentItemId, i.ContentItemVersionId, i.PublishedUtc, null, i.SortOrder);

    private sealed class ListQueries
    {
        public readonly Func<EmbassyDbContext, string, string, string, string?, DateTime?, DateTime?, string?, int, IAsyncEnumerable<ListedVersion>> PublishedVersions =
            EF.CompileAsyncQuery(ListQuery(ByPublished, PublishedVersion));
        public readonly Func<EmbassyDbContext, string, string, string, string?, DateTime?, DateTime?, string?, int, IAsyncEnumerable<ListedVersion>> StartVersions =
            EF.CompileAsyncQuery(ListQuery(ByStart, StartVersion));
        public readonly Func<EmbassyDbContext, string, string, string, string?, DateTime?, double?, string?, int, IAsyncEnumerable<ListedVersion>> OrderVersions =
            EF.CompileAsyncQuery(ListQuery(ByOrder, OrderVersion));
        public readonly Func<EmbassyDbContext, string, string, string, string?, DateTime?, DateTime?, string?, int, IAsyncEnumerable<ContentItemRecord>> PublishedItems =
            EF.CompileAsyncQuery(ListQuery(ByPublished, ApiColumns));
        public readonly Func<EmbassyDbContext, string, string, string, string?, DateTime?, DateTime?, string?, int, IAsyncEnumerable<ContentItemRecord>> StartItems =
            EF.CompileAsyncQuery(ListQuery(ByStart, ApiColumns));
        public readonly Func<EmbassyDbContext, string, string, string, string?, DateTime?, double?, string?, int, IAsyncEnumerable<ContentItemRecord>> OrderItems =
            EF.CompileAsyncQuery(ListQuery(ByOrder, ApiColumns));
    }

    /// <summary>A list page's items, in order, in one query: up to Limit + 1, so that the caller knows whether there is a next page.</summary>
    public async Task<IReadOnlyList<ContentItem>> ListAsync(ContentListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var records = query.Cultures.Count is 1 or 2
            ? Compiled(query, q => q.StartItems, q => q.OrderItems, q => q.PublishedItems)
            : ListDynamic(query).Select(ApiColumns).AsAsyncEnumerable();
        var items = new List<ContentItem>(query.Limit + 1);
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            items.Add(ContentJson.ToModel(record));
        }
        return items;
    }

    /// <summary>
    /// Which versions a list page serves, in order: up to Limit + 1, so that the caller knows whether there is a
    /// next page. Read from the order's index alone; the versions themselves come from <see cref="GetVersionsAsync"/>
    /// (or from a cache of them: a published version's columns never change while its publication date stays the same).
    /// </summary>
    public async Task<IReadOnlyList<ListedVersion>> ListVersionsAsync(ContentListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var versions = query.Cultures.Count is 1 or 2
            ? Compiled(query, q => q.StartVersions, q => q.OrderVersions, q => q.PublishedVersions)
            : ListDynamic(query).Select(query.Order switch { ContentOrder.Start => StartVersion, ContentOrder.Order => OrderVersion, _ => PublishedVersion })
                .AsAsyncEnumerable();
        var page = new List<ListedVersion>(query.Limit + 1);
        await foreach (var version in versions.WithCancellation(cancellationToken))
        {
            page.Add(version);
        }
        return page;
    }

    /// <summary>Runs the compiled query of the list's order (chains of one or two cultures).</summary>
    private IAsyncEnumerable<T> Compiled<T>(ContentListQuery query,
        Func<ListQueries, Func<EmbassyDbContext, string, string, string, string?, DateTime?, DateTime?, string?, int, IAsyncEnumerable<T>>> byStart,
        Func<ListQueries, Func<EmbassyDbContext, string, string, string, string?, DateTime?, double?, string?, int, IAsyncEnumerable<T>>> byOrder,
        Func<ListQueries, Func<EmbassyDbContext, string, string, string, string?, DateTime?, DateTime?, string?, int, IAsyncEnumerable<T>>> byPublished)
    {
        var c1 = query.Cultures[0];
        var c2 = query.Cultures.Count == 2 ? query.Cultures[1] : null;
        var c1Pattern = PublishedInPattern(c1);
        var queries = CompiledQueries.GetValue(db.Model, _ => new ListQueries());
        var (afterId, take) = (query.After?.ContentItemId, query.Limit + 1);
        return query.Order switch
        {
            ContentOrder.Start => byStart(queries)(db, query.ContentType, c1, c1Pattern, c2, query.EndsAfter, AfterDate(query, NoDate), afterId, take),
            ContentOrder.Order => byOrder(queries)(db, query.ContentType, c1, c1Pattern, c2, query.EndsAfter, AfterNumber(query), afterId, take),
            _ => byPublished(queries)(db, query.ContentType, c1, c1Pattern, c2, query.EndsAfter, AfterDate(query, DateTime.MinValue), afterId, take),
        };
    }

    /// <summary>The cursor's sort key (an item without one sorts as <paramref name="none"/>); null without a cursor.</summary>
    private static DateTime? AfterDate(ContentListQuery query, DateTime none) => query.After is { } after ? after.Date ?? none : null;

    private static double? AfterNumber(ContentListQuery query) => query.After is { } after ? after.Number ?? NoNumber : null;

    /// <summary>The published items with these version ids (in no particular order; a version no longer published is left out).</summary>
    public async Task<IReadOnlyList<ContentItem>> GetVersionsAsync(IReadOnlyCollection<string> contentItemVersionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contentItemVersionIds);
        if (contentItemVersionIds.Count == 0)
        {
            return [];
        }
        var records = await Published.Where(i => contentItemVersionIds.Contains(i.ContentItemVersionId)).ToListAsync(cancellationToken);
        return records.Select(ContentJson.ToModel).ToList();
    }

    /// <summary>Longer fallback chains: the candidates are composed for the chain, then paged as the compiled queries are.</summary>
    private IQueryable<ContentItemRecord> ListDynamic(ContentListQuery query)
    {
        var items = Published.TagWith(ListQueryTag).Where(i => i.ContentType == query.ContentType).Where(CulturePredicate(query.Cultures));
        if (query.EndsAfter is { } endsAfter)
        {
            items = items.Where(i => i.EndUtc == null || i.EndUtc > endsAfter);
        }
        var (afterId, take) = (query.After?.ContentItemId, query.Limit + 1);
        return query.Order switch
        {
            ContentOrder.Start => Page(items, ByStart, AfterDate(query, NoDate), afterId, take),
            ContentOrder.Order => Page(items, ByOrder, AfterNumber(query), afterId, take),
            _ => Page(items, ByPublished, AfterDate(query, DateTime.MinValue), afterId, take),
        };
    }

    /// <summary>An order's page expression applied to a composed query; its values go in as query parameters.</summary>
    private static IQueryable<ContentItemRecord> Page<TAfter>(IQueryable<ContentItemRecord> items,
        Expression<Func<IQueryable<ContentItemRecord>, TAfter, string?, int, IQueryable<ContentItemRecord>>> page, TAfter after, string? afterId, int take)
    {
        // Members of a captured object, as a lambda's closure would be: EF Core makes them parameters, not constants in the SQL.
        var values = Expression.Constant(new PageValues<TAfter>(after, afterId, take));
        Expression body = page.Body;
        body = new ParameterReplacer(page.Parameters[0], items.Expression).Visit(body);
        body = new ParameterReplacer(page.Parameters[1], Expression.Field(values, nameof(PageValues<TAfter>.After))).Visit(body);
        body = new ParameterReplacer(page.Parameters[2], Expression.Field(values, nameof(PageValues<TAfter>.AfterId))).Visit(body);
        body = new ParameterReplacer(page.Parameters[3], Expression.Field(values, nameof(PageValues<TAfter>.Take))).Visit(body);
        return items.Provider.CreateQuery<ContentItemRecord>(body);
    }

    private sealed class PageValues<TAfter>(TAfter after, string? afterId, int take)
    {
        public readonly TAfter After = after;
        public readonly string? AfterId = afterId;
        public readonly int Take = take;
    }

    /// <summary>Where a page that ends with <paramref name="last"/> ended.</summary>
    public static ContentCursor CursorOf(ListedVersion last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return new ContentCursor(last.SortDate, last.SortNumber, last.ContentItemId);
    }

    public static ContentCursor CursorOf(ContentItem item, ContentOrder order)
    {
        ArgumentNullException.ThrowIfNull(item);
        return order switch
        {
            ContentOrder.Start => new ContentCursor(item.StartUtc, null, item.ContentItemId),
            ContentOrder.Order => new ContentCursor(null, item.SortOrder, item.ContentItemId),
            _ => new ContentCursor(item.PublishedUtc, null, item.ContentItemId),
        };
    }

    public async Task<ContentItem?> GetAsync(string contentItemId, CancellationToken cancellationToken) =>
        ToModel(await Published.FirstOrDefaultAsync(i => i.ContentItemId == contentItemId, cancellationToken));

    public async Task<ContentItem?> GetByAliasAsync(string alias, CancellationToken cancellationToken) =>
        ToModel(await Published.OrderBy(i => i.Id).FirstOrDefaultAsync(i => i.Alias == alias, cancellationToken));

    public async Task<ContentItem?> GetByPathAsync(string path, CancellationToken cancellationToken) =>
        ToModel(await Published.OrderBy(i => i.Id).FirstOrDefaultAsync(i => i.Path == path, cancellationToken));

    /// <summary>The published items of a localization set (the item and its translations), culture → id.</summary>
    public async Task<IReadOnlyList<ContentItem>> GetTranslationsAsync(string localizationSet, CancellationToken cancellationToken)
    {
        var records = await Published.Where(i => i.LocalizationSet == localizationSet).OrderBy(i => i.Culture).ToListAsync(cancellationToken);
        return records.Select(ContentJson.ToModel).ToList();
    }

    public async Task<IReadOnlyList<ContentItem>> GetManyAsync(IReadOnlyCollection<string> contentItemIds, CancellationToken cancellationToken)
    {
        var records = await Published.Where(i => contentItemIds.Contains(i.ContentItemId)).ToListAsync(cancellationToken);
        return records.Select(ContentJson.ToModel).ToList();
    }

    /// <summary>A page of an initial sync: published items by id, after <paramref name="afterId"/>; Limit + 1 returned.</summary>
    public async Task<IReadOnlyList<ContentItem>> SyncPageAsync(IReadOnlyCollection<string>? types, string? culture, string? afterId, int limit,
        CancellationToken cancellationToken)
    {
        var items = Published;
        if (types is { Count: > 0 })
        {
            items = items.Where(i => types.Contains(i.ContentType));
        }
        if (culture is not null)
        {
            items = items.Where(i => i.Culture == culture || i.Culture == null);
        }
        if (afterId is not null)
        {
            items = items.Where(i => string.Compare(i.ContentItemId, afterId) > 0);
        }
        var records = await items.OrderBy(i => i.ContentItemId).Take(limit + 1).ToListAsync(cancellationToken);
        return records.Select(ContentJson.ToModel).ToList();
    }

    /// <summary>Feed entries after a sequence number, filtered by type and culture (deletions included).</summary>
    public async Task<IReadOnlyList<ContentChange>> ChangesAsync(long afterSequence, IReadOnlyCollection<string>? types, string? culture, int limit,
        CancellationToken cancellationToken)
    {
        var entries = db.Set<ChangeFeedEntry>().AsNoTracking().Where(e => e.Sequence > afterSequence);
        if (types is { Count: > 0 })
        {
            entries = entries.Where(e => types.Contains(e.ContentType));
        }
        if (culture is not null)
        {
            entries = entries.Where(e => e.Culture == culture || e.Culture == null);
        }
        return await entries.OrderBy(e => e.Sequence).Take(limit)
            .Select(e => new ContentChange(e.Sequence, e.Kind, e.ContentItemId, e.ContentType, e.Culture)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Items in the first culture of the chain, or neutral; else in the next culture of the chain when the
    /// item's localization set has no published item in any earlier one.
    /// </summary>
    private static Expression<Func<ContentItemRecord, bool>> CulturePredicate(IReadOnlyList<string> cultures)
    {
        var item = Expression.Parameter(typeof(ContentItemRecord), "i");
        Expression body = Expression.Equal(Expression.Property(item, nameof(ContentItemRecord.Culture)), Expression.Constant(null, typeof(string)));
        for (var k = 0; k < cultures.Count; k++)
        {
            Expression clause = Replace(CultureIs(cultures[k]), item);
            if (k > 0)
            {
                // The set has no published version in an earlier culture of the chain (or no set: then PublishedCultures is null).
                Expression<Func<ContentItemRecord, bool>> noEarlier = i => i.PublishedCultures == null;
                var earlier = cultures.Take(k).Select(c => Replace(PublishedIn(c), item)).Aggregate(Expression.OrElse);
                clause = Expression.AndAlso(clause, Expression.OrElse(Replace(noEarlier, item), Expression.Not(earlier)));
            }
            body = Expression.OrElse(body, clause);
        }
        return Expression.Lambda<Func<ContentItemRecord, bool>>(body, item);
    }

    private static Expression<Func<ContentItemRecord, bool>> PublishedIn(string culture)
    {
        var pattern = PublishedInPattern(culture);
        return i => EF.Functions.Like(i.PublishedCultures, pattern);
    }

    /// <summary>
    /// The LIKE pattern that finds a culture in PublishedCultures. LIKE with a parameter, not string.Contains: providers
    /// turn Contains into a pattern built from the value, which EF Core then cannot cache and makes SQL for on every query.
    /// </summary>
    private static string PublishedInPattern(string culture) => "%" + ContentManager.PublishedCultureMarker(culture) + "%";

    private static Expression<Func<ContentItemRecord, bool>> CultureIs(string culture) => i => i.Culture == culture;

    private static Expression Replace(Expression<Func<ContentItemRecord, bool>> lambda, ParameterExpression parameter) =>
        new ParameterReplacer(lambda.Parameters[0], parameter).Visit(lambda.Body);

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    private static ContentItem? ToModel(ContentItemRecord? record) => record is null ? null : ContentJson.ToModel(record);
}
