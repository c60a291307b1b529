using Embassy.Content.Models;
using Embassy.Content.Data;
using Embassy.Content.Services;
using Embassy.MobileApi.Caching;
using Embassy.MobileApi.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Endpoints;

/// <summary>
/// GET /api/v1/sync: the app's offline cache. Without a token: an initial sync, in pages (follow
/// <c>next</c>); the last page carries a token. With a token: what changed since — items published or
/// updated, and tombstones for items unpublished or deleted — and a new token. Tokens are change-feed
/// sequence numbers, which replicate with the data: a token from the master works on the standby.
/// </summary>
internal static class SyncEndpoint
{
    internal sealed record SyncToken(long Sequence, IReadOnlyList<string>? Types, string? Culture)
    {
        public const string Kind = "sync";
    }

    internal sealed record SyncCursor(long Head, string AfterId, IReadOnlyList<string>? Types, string? Culture)
    {
        public const string Kind = "sync-cursor";
    }

    public static async Task<IResult> HandleAsync(HttpContext http, IOptions<MobileApiOptions> options, ApiSchemaProvider schemas,
        ApiResponseCache cache, Contract.ResponseContract contract, CancellationToken cancellationToken)
    {
        var request = new ApiRequest(http, options.Value);
        var schema = await schemas.GetAsync(cancellationToken);
        var types = request.Types(schema.Types.Keys.ToList());
        var culture = request.OptionalCulture();
        var limit = request.Limit(100, 500);
        var tokenText = request.Query("token");
        var cursorText = request.Query("cursor");
        SyncToken? token = null;
        SyncCursor? cursor = null;
        if (tokenText is not null && cursorText is not null)
        {
            request.Error("token", "give either token (a delta) or cursor (the next page of an initial sync), not both.");
        }
        else if (tokenText is not null && !OpaqueToken.TryDecode(tokenText, SyncToken.Kind, "sequence", out token))
        {
            request.Error("token", OpaqueToken.TryDecode<SyncCursor>(tokenText, SyncCursor.Kind, "afterId", out _)
                ? "token is an initial sync's cursor: send it as cursor, to get the next page; the last page carries the token."
                : "token is not a sync token this API issued: start an initial sync (call /api/v1/sync without a token).");
        }
        else if (cursorText is not null && !OpaqueToken.TryDecode(cursorText, SyncCursor.Kind, "afterId", out cursor))
        {
            request.Error("cursor", OpaqueToken.TryDecode<SyncToken>(cursorText, SyncToken.Kind, "sequence", out _)
                ? "cursor is a sync token: send it as token, to get the changes since."
                : "cursor is not one this API issued: start the initial sync again.");
        }
        if (PreviewAccess.Token(http) is not null)
        {
            request.Error("X-Preview-Token", "previews are not synced: the app's offline store keeps published content only. A preview token shows " +
                "drafts at /api/v1/items and /api/v1/content/{type}.");
        }
        var (issuedTypes, issuedCulture) = token is not null ? (token.Types, token.Culture) : cursor is not null ? (cursor.Types, cursor.Culture) : (types, culture);
        if ((types is not null && !SameTypes(types, issuedTypes)) || (culture is not null && culture != issuedCulture))
        {
            request.Error(token is not null ? "token" : "cursor", "it was issued for other types or another culture; start an initial sync for these.");
        }
        var blocks = request.RichTextBlocks();
        if (!request.IsValid)
        {
            return request.Problem();
        }
        types = issuedTypes;
        culture = issuedCulture;
        var key = string.Join('|', "sync", tokenText, cursorText, types is null ? "" : string.Join(',', types), culture, limit, blocks ? "blocks" : "html");
        var response = await cache.GetOrCreateAsync(key, async () =>
        {
            var content = http.RequestServices.GetRequiredService<PublishedContent>();
            var page = token is not null
                ? await DeltaAsync(content, token, limit, cancellationToken)
                : await InitialAsync(content, http.RequestServices.GetRequiredService<ChangeFeed>(), cursor, types, culture, limit, cancellationToken);
            return contract.Write(new Contract.SyncPage(page.Mode,
                new Contract.ItemsWriter(w =>
                {
                    foreach (var item in page.Items)
                    {
                        ItemJson.Write(w, item, schema, richTextBlocks: blocks);
                    }
                }),
                [.. page.Deleted.Select(d => new Contract.Tombstone(d.Id, d.Type, d.Culture))], page.Next, page.Token, page.HasMore), culture, "no-cache");
        }, cancellationToken);
        return new ApiResult(response);
    }

    private sealed record SyncPage(string Mode, IReadOnlyList<ContentItem> Items, IReadOnlyList<(string Id, string Type, string? Culture)> Deleted,
        string? Next, string? Token, bool HasMore);

    private static async Task<SyncPage> InitialAsync(PublishedContent content, ChangeFeed feed, SyncCursor? cursor,
        IReadOnlyList<string>? types, string? culture, int limit, CancellationToken cancellationToken)
    {
        // The head is read before the items: what changes while the app pages through comes again in its first delta.
        var head = cursor?.Head ?? await feed.GetHeadAsync(cancellationToken);
        var items = await content.SyncPageAsync(types?.ToList(), culture, cursor?.AfterId, limit, cancellationToken);
        var page = items.Take(limit).ToList();
        var more = items.Count > limit;
        return new SyncPage("initial", page, [],
            more ? OpaqueToken.Encode(SyncCursor.Kind, new SyncCursor(head, page[^1].ContentItemId, types, culture)) : null,
            more ? null : OpaqueToken.Encode(SyncToken.Kind, new SyncToken(head, types, culture)), more);
    }

    private static async Task<SyncPage> DeltaAsync(PublishedContent content, SyncToken token, int limit, CancellationToken cancellationToken)
    {
        var entries = await content.ChangesAsync(token.Sequence, token.Types?.ToList(), token.Culture, limit, cancellationToken);
        // An item changed several times in the range is reported once, as it is now.
        var latest = new Dictionary<string, ContentChange>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            latest.Remove(entry.ContentItemId);
            latest[entry.ContentItemId] = entry;
        }
        var current = (await content.GetManyAsync(latest.Keys.ToList(), cancellationToken)).ToDictionary(i => i.ContentItemId, StringComparer.Ordinal);
        var items = new List<ContentItem>();
        var deleted = new List<(string, string, string?)>();
        foreach (var (id, entry) in latest.OrderBy(e => e.Value.Sequence))
        {
            if (current.TryGetValue(id, out var item) && (token.Types is null || token.Types.Contains(item.ContentType)) &&
                (token.Culture is null || item.Culture is null || item.Culture == token.Culture))
            {
                items.Add(item);
            }
            else
            {
                deleted.Add((id, entry.ContentType, entry.Culture));
            }
        }
        var sequence = entries.Count > 0 ? entries[^1].Sequence : token.Sequence;
        return new SyncPage("delta", items, deleted, null, OpaqueToken.Encode(SyncToken.Kind, token with { Sequence = sequence }), entries.Count == limit);
    }

    private static bool SameTypes(IReadOnlyList<string> a, IReadOnlyList<string>? b) => b is not null && a.SequenceEqual(b, StringComparer.Ordinal);
}
