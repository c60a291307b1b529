using System.Text.Json.Nodes;
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
    internal sealed record SyncToken(long Sequence, IReadOnlyList<string>? Types, string? Culture);

    internal sealed record SyncCursor(long Head, string AfterId, IReadOnlyList<string>? Types, string? Culture);

    public static async Task<IResult> HandleAsync(HttpContext http, IOptions<MobileApiOptions> options, ApiSchemaProvider schemas,
        ApiResponseCache cache, CancellationToken cancellationToken)
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
        else if (tokenText is not null && !OpaqueToken.TryDecode(tokenText, out token))
        {
            request.Error("token", "token is not a sync token this API issued: start an initial sync (call /api/v1/sync without a token).");
        }
        else if (cursorText is not null && !OpaqueToken.TryDecode(cursorText, out cursor))
        {
            request.Error("cursor", "cursor is not one this API issued: start the initial sync again.");
        }
        var (issuedTypes, issuedCulture) = token is not null ? (token.Types, token.Culture) : cursor is not null ? (cursor.Types, cursor.Culture) : (types, culture);
        if ((types is not null && !SameTypes(types, issuedTypes)) || (culture is not null && culture != issuedCulture))
        {
            request.Error(token is not null ? "token" : "cursor", "it was issued for other types or another culture; start an initial sync for these.");
        }
        if (!request.IsValid)
        {
            return request.Problem();
        }
        types = issuedTypes;
        culture = issuedCulture;
        var key = string.Join('|', "sync", tokenText, cursorText, types is null ? "" : string.Join(',', types), culture, limit);
        var response = await cache.GetOrCreateAsync(key, async () =>
        {
            var content = http.RequestServices.GetRequiredService<PublishedContent>();
            var body = token is not null
                ? await DeltaAsync(content, schema, token, limit, cancellationToken)
                : await InitialAsync(content, http.RequestServices.GetRequiredService<ChangeFeed>(), schema, cursor, types, culture, limit, cancellationToken);
            return Responses.Json(body, culture, "no-cache");
        }, cancellationToken);
        return new ApiResult(response);
    }

    private static async Task<JsonObject> InitialAsync(PublishedContent content, ChangeFeed feed, ApiSchema schema, SyncCursor? cursor,
        IReadOnlyList<string>? types, string? culture, int limit, CancellationToken cancellationToken)
    {
        // The head is read before the items: what changes while the app pages through comes again in its first delta.
        var head = cursor?.Head ?? await feed.GetHeadAsync(cancellationToken);
        var items = await content.SyncPageAsync(types?.ToList(), culture, cursor?.AfterId, limit, cancellationToken);
        var page = items.Take(limit).ToList();
        var more = items.Count > limit;
        return new JsonObject
        {
            ["mode"] = "initial",
            ["items"] = new JsonArray(page.Select(JsonNode? (i) => ItemJson.Build(i, schema)).ToArray()),
            ["deleted"] = new JsonArray(),
            ["next"] = more ? OpaqueToken.Encode(new SyncCursor(head, page[^1].ContentItemId, types, culture)) : null,
            ["token"] = more ? null : OpaqueToken.Encode(new SyncToken(head, types, culture)),
            ["hasMore"] = more,
        };
    }

    private static async Task<JsonObject> DeltaAsync(PublishedContent content, ApiSchema schema, SyncToken token, int limit, CancellationToken cancellationToken)
    {
        var entries = await content.ChangesAsync(token.Sequence, token.Types?.ToList(), token.Culture, limit, cancellationToken);
        // An item changed several times in the range is reported once, as it is now.
        var latest = new Dictionary<string, ChangeFeedEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            latest.Remove(entry.ContentItemId);
            latest[entry.ContentItemId] = entry;
        }
        var current = (await content.GetManyAsync(latest.Keys.ToList(), cancellationToken)).ToDictionary(i => i.ContentItemId, StringComparer.Ordinal);
        var items = new JsonArray();
        var deleted = new JsonArray();
        foreach (var (id, entry) in latest.OrderBy(e => e.Value.Sequence))
        {
            if (current.TryGetValue(id, out var item) && (token.Types is null || token.Types.Contains(item.ContentType)) &&
                (token.Culture is null || item.Culture is null || item.Culture == token.Culture))
            {
                items.Add(ItemJson.Build(item, schema));
            }
            else
            {
                deleted.Add(new JsonObject { ["id"] = id, ["type"] = entry.ContentType, ["culture"] = entry.Culture });
            }
        }
        var sequence = entries.Count > 0 ? entries[^1].Sequence : token.Sequence;
        return new JsonObject
        {
            ["mode"] = "delta",
            ["items"] = items,
            ["deleted"] = deleted,
            ["next"] = null,
            ["token"] = OpaqueToken.Encode(token with { Sequence = sequence }),
            ["hasMore"] = entries.Count == limit,
        };
    }

    private static bool SameTypes(IReadOnlyList<string> a, IReadOnlyList<string>? b) => b is not null && a.SequenceEqual(b, StringComparer.Ordinal);
}
