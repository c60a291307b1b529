using Embassy.MobileApi.Caching;
using Embassy.MobileApi.Json;
using Embassy.Search;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Endpoints;

/// <summary>GET /api/v1/search: published items found by words, in the culture asked for (with the lists' fallback).</summary>
internal static class SearchEndpoint
{
    internal sealed record SearchCursor(string Q, string Culture, string? Types, int Offset)
    {
        public const string Kind = "search";
    }

    /// <summary>The deepest a search pages: 500 items.</summary>
    public const int MaxOffset = 500;

    public static async Task<IResult> HandleAsync(HttpContext http, IOptions<MobileApiOptions> options, ApiSchemaProvider schemas, ApiResponseCache cache,
        SearchIndex index, IOptions<SearchOptions> search, Contract.ResponseContract contract, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var request = new ApiRequest(http, o);
        var schema = await schemas.GetAsync(cancellationToken);
        var q = request.Query("q")?.Trim();
        if (string.IsNullOrEmpty(q))
        {
            request.Error("q", "q is required: the words to look for, e.g. ?q=passport.");
        }
        else if (q.Length > SearchQuery.MaxLength)
        {
            request.Error("q", $"q is longer than {SearchQuery.MaxLength} characters.");
        }
        var (culture, chain) = request.Culture(schema.Localization);
        var types = request.Types(schema.Types.Keys.ToList());
        var typesKey = types is null ? null : string.Join(',', types.Order(StringComparer.Ordinal));
        var limit = request.Limit(10, 50);
        var cursorText = request.Query("cursor");
        SearchCursor? cursor = null;
        if (cursorText is not null && (!OpaqueToken.TryDecode(cursorText, SearchCursor.Kind, "offset", out cursor) || cursor is null))
        {
            request.Error("cursor", "cursor is not one this API issued; search again without it.");
        }
        else if (cursor is not null && (cursor.Q != q || cursor.Culture != culture || cursor.Types != typesKey))
        {
            request.Error("cursor", "cursor belongs to another search (q, culture or types differ).");
        }
        if (!request.IsValid)
        {
            return request.Problem();
        }
        if (!search.Value.Enabled || !index.IsOpen)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Search unavailable",
                detail: search.Value.Enabled ? "The search index is being built; try again in a few seconds." : "Search is turned off on this server (Embassy:Search:Enabled).");
        }
        var offset = cursor?.Offset ?? 0;
        var key = string.Join('|', "search", index.State, q, culture, typesKey, limit, offset);
        var response = await cache.GetOrCreateAsync(key, () =>
        {
            var results = SearchQuery.Run(index, new SearchRequest(q!, chain, types, offset, limit)) ?? new SearchResults([], 0, false);
            var next = results.More && offset + limit < MaxOffset
                ? OpaqueToken.Encode(SearchCursor.Kind, new SearchCursor(q!, culture, typesKey, offset + limit)) : null;
            return Task.FromResult(contract.Write(new Contract.SearchPage(q!, culture, results.Total,
                [.. results.Hits.Select(hit => new Contract.SearchHit(hit.Id, hit.Type, hit.Culture, hit.Title, hit.Snippet,
                    [.. hit.Highlights.Select(h => new Contract.Highlight(h.Start, h.Length))], Math.Round(hit.Score, 4)))], next),
                culture, $"public, max-age={o.ContentMaxAgeSeconds}"));
        }, cancellationToken);
        return new ApiResult(response);
    }
}
