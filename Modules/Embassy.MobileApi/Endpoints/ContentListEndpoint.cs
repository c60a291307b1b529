using System.Globalization;
using Embassy.Content.Models;
using Embassy.Content.Preview;
using Embassy.Content.Services;
using Embassy.MobileApi.Caching;
using Embassy.MobileApi.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Endpoints;

/// <summary>GET /api/v1/content/{type}: a page of published items of one type.</summary>
internal static class ContentListEndpoint
{
    internal sealed record ListCursor(string Type, string Order, string Culture, DateTime? Date, double? Number, string Id)
    {
        public const string Kind = "list";
    }

    public static async Task<IResult> HandleAsync(string type, HttpContext http, IOptions<MobileApiOptions> options, ApiSchemaProvider schemas,
        ApiResponseCache cache, ItemFragmentCache fragments, TimeProvider clock, Contract.ResponseContract contract, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var request = new ApiRequest(http, o);
        var schema = await schemas.GetAsync(cancellationToken);
        var map = ApiRequest.TypeName().IsMatch(type) ? schema.For(type) : null;
        if (map is null)
        {
            request.Error("type", $"'{(type.Length > 40 ? type[..40] + "…" : type)}' is not a content type (see /api/v1/types).");
            return request.Problem();
        }
        var (culture, chain) = request.Culture(schema.Localization);
        var limit = request.Limit(o.DefaultPageSize, o.MaxPageSize);
        var orderText = request.Query("order") ?? map.NaturalOrder;
        var order = orderText switch
        {
            "published" => ContentOrder.Published,
            "start" when map.Type.Settings["ContentApiSettings"]?["StartField"] is not null => ContentOrder.Start,
            "order" when map.Type.Settings["ContentApiSettings"]?["OrderField"] is not null => ContentOrder.Order,
            _ => (ContentOrder?)null,
        };
        if (order is null)
        {
            request.Error("order", $"order must be 'published'{(map.NaturalOrder != "published" ? $" or '{map.NaturalOrder}'" : "")} for {type}.");
        }
        var current = request.Flag("upcoming") | request.Flag("active");
        if (current && !map.HasEnd)
        {
            request.Error(request.Query("upcoming") is not null ? "upcoming" : "active", $"{type} has no end date to filter on.");
        }
        var cursorText = request.Query("cursor");
        ListCursor? cursor = null;
        if (cursorText is not null && (!OpaqueToken.TryDecode(cursorText, ListCursor.Kind, "order", out cursor) || cursor is null))
        {
            request.Error("cursor", "cursor is not one this API issued; start again without it.");
        }
        else if (cursor is not null && (cursor.Type != type || cursor.Order != orderText || cursor.Culture != culture))
        {
            request.Error("cursor", "cursor belongs to another list (type, order or culture differ).");
        }
        var fields = request.Fields();
        var blocks = request.RichTextBlocks();
        if (!request.IsValid)
        {
            return request.Problem();
        }

        // "Active" and "upcoming" depend on the time: such lists are cached per minute.
        var now = current ? Minute(clock) : (DateTime?)null;
        ContentListQuery Query() => new(type, chain, order!.Value, limit)
        {
            After = cursor is null ? null : new ContentCursor(cursor.Date, cursor.Number, cursor.Id),
            EndsAfter = now,
        };
        string? Next(ContentCursor? last) =>
            last is null ? null : OpaqueToken.Encode(ListCursor.Kind, new ListCursor(type, orderText, culture, last.Date, last.Number, last.ContentItemId));

        if (PreviewAccess.Token(http) is { } token)
        {
            var (preview, problem) = await PreviewAccess.CheckAsync(token, http, cancellationToken);
            if (preview is null)
            {
                return problem!;
            }
            var (shown, last) = await http.RequestServices.GetRequiredService<DraftPreview>().ListAsync(Query(), preview, cancellationToken);
            return new ApiResult(contract.Write(Page(type, culture, orderText, null, shown, schema, fields, blocks, Next(last), preview: true),
                culture, PreviewAccess.CacheControl));
        }

        // The fields asked for and how rich text comes: what an item's JSON fragment depends on besides the item.
        var fieldsKey = (fields is null ? "" : string.Join(',', fields.Order())) + (blocks ? "|blocks" : "");
        var key = string.Join('|', "list", type, culture, orderText, limit, cursorText, fieldsKey, now?.ToString("O", CultureInfo.InvariantCulture));
        var response = await cache.GetOrCreateAsync(key, async () =>
        {
            var content = http.RequestServices.GetRequiredService<PublishedContent>();
            var query = Query();
            // With the item cache: the page's versions from the index, their JSON from the cache (or written now).
            // Without: whole items in one query, written straight into the response.
            byte[]?[]? json = null;
            IReadOnlyList<ContentItem>? items = null;
            ContentCursor? last = null;
            if (fragments.Enabled)
            {
                var versions = await content.ListVersionsAsync(query, cancellationToken);
                var page = versions.Count > limit ? versions.Take(limit).ToList() : versions;
                json = await ItemsJsonAsync(page, content, schema, fields, blocks, fieldsKey, fragments, cancellationToken);
                last = versions.Count > limit ? PublishedContent.CursorOf(page[^1]) : null;
            }
            else
            {
                var read = await content.ListAsync(query, cancellationToken);
                items = read.Count > limit ? read.Take(limit).ToList() : read;
                last = read.Count > limit ? PublishedContent.CursorOf(items[^1], order!.Value) : null;
            }
            return contract.Write(Page(type, culture, orderText, json, items, schema, fields, blocks, Next(last), preview: false),
                culture, $"public, max-age={o.ContentMaxAgeSeconds}");
        }, cancellationToken);
        return new ApiResult(response);
    }

    /// <summary>A list page: items already written (from the fragment cache) or to write now.</summary>
    private static Contract.ListPage Page(string type, string culture, string order, byte[]?[]? json,
        IReadOnlyList<ContentItem>? items, ApiSchema schema, IReadOnlySet<string>? fields, bool blocks, string? next, bool preview) =>
        new(type, culture, order, preview ? true : null, new Contract.ItemsWriter(w =>
        {
            foreach (var item in json ?? [])
            {
                if (item is not null)
                {
                    w.WriteRawValue(item, skipInputValidation: true);
                }
            }
            foreach (var item in items ?? [])
            {
                ItemJson.Write(w, item, schema, fields, richTextBlocks: blocks);
            }
        }), next);

    /// <summary>
    /// The JSON of each listed version, from the fragment cache or read and written now (in one query for all
    /// those missing). A version unpublished since the list was read is null, and left out.
    /// </summary>
    private static async Task<byte[]?[]> ItemsJsonAsync(IReadOnlyList<ListedVersion> page, PublishedContent content, ApiSchema schema,
        IReadOnlySet<string>? fields, bool blocks, string fieldsKey, ItemFragmentCache fragments, CancellationToken cancellationToken)
    {
        var json = new byte[]?[page.Count];
        List<string>? missing = null;
        for (var i = 0; i < page.Count; i++)
        {
            if (fragments.TryGet(schema, page[i], fieldsKey, out var cached))
            {
                json[i] = cached;
            }
            else
            {
                (missing ??= []).Add(page[i].ContentItemVersionId);
            }
        }
        if (missing is not null)
        {
            var items = (await content.GetVersionsAsync(missing, cancellationToken)).ToDictionary(i => i.ContentItemVersionId, StringComparer.Ordinal);
            for (var i = 0; i < page.Count; i++)
            {
                if (json[i] is null && items.TryGetValue(page[i].ContentItemVersionId, out var item))
                {
                    json[i] = Responses.Bytes(w => ItemJson.Write(w, item, schema, fields, richTextBlocks: blocks));
                    if (item.PublishedUtc == page[i].PublishedUtc) // else republished between the two reads: not kept
                    {
                        fragments.Add(schema, page[i], fieldsKey, json[i]!);
                    }
                }
            }
        }
        return json;
    }

    private static DateTime Minute(TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc);
    }
}
