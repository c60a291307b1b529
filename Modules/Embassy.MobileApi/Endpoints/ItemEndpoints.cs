using Embassy.Content.Models;
using Embassy.Content.Services;
using Embassy.MobileApi.Caching;
using Embassy.MobileApi.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Endpoints;

/// <summary>One published item: by id, alias or path; ?culture= picks its translation (with the fallback chain).</summary>
internal static class ItemEndpoints
{
    public static Task<IResult> ByIdAsync(string id, HttpContext http, IOptions<MobileApiOptions> options, ApiSchemaProvider schemas,
        ApiResponseCache cache, CancellationToken cancellationToken)
    {
        var request = new ApiRequest(http, options.Value);
        request.Id("id", id);
        return ServeAsync(request, "id", id, http, schemas, cache, (content, ct) => content.GetAsync(id, ct), cancellationToken);
    }

    public static Task<IResult> ByAliasAsync(string alias, HttpContext http, IOptions<MobileApiOptions> options, ApiSchemaProvider schemas,
        ApiResponseCache cache, CancellationToken cancellationToken)
    {
        var request = new ApiRequest(http, options.Value);
        if (alias.Length > 512)
        {
            request.Error("alias", "alias is longer than 512 characters.");
        }
        return ServeAsync(request, "alias", alias, http, schemas, cache, (content, ct) => content.GetByAliasAsync(alias, ct), cancellationToken);
    }

    public static Task<IResult> ByPathAsync(HttpContext http, IOptions<MobileApiOptions> options, ApiSchemaProvider schemas,
        ApiResponseCache cache, CancellationToken cancellationToken)
    {
        var request = new ApiRequest(http, options.Value);
        var path = request.Query("path");
        if (string.IsNullOrEmpty(path) || path.Length > 512)
        {
            request.Error("path", "path is required (at most 512 characters), e.g. ?path=news/visa-waiver-program.");
        }
        return ServeAsync(request, "path", path ?? "", http, schemas, cache, (content, ct) => content.GetByPathAsync(path!.Trim('/'), ct), cancellationToken);
    }

    private static async Task<IResult> ServeAsync(ApiRequest request, string by, string value, HttpContext http, ApiSchemaProvider schemas,
        ApiResponseCache cache, Func<PublishedContent, CancellationToken, Task<ContentItem?>> find, CancellationToken cancellationToken)
    {
        var schema = await schemas.GetAsync(cancellationToken);
        var culture = request.OptionalCulture();
        var chain = culture is null ? null : request.Culture(schema.Localization).Chain;
        var fields = request.Fields();
        if (!request.IsValid)
        {
            return request.Problem();
        }
        var key = string.Join('|', "item", by, value, culture, fields is null ? "" : string.Join(',', fields.Order()));
        CachedResponse? response = await cache.GetOrCreateAsync(key, async () =>
        {
            var content = http.RequestServices.GetRequiredService<PublishedContent>();
            var item = await find(content, cancellationToken);
            if (item is null)
            {
                return NotFound;
            }
            var translations = item.LocalizationSet is null ? [item] : await content.GetTranslationsAsync(item.LocalizationSet, cancellationToken);
            if (chain is not null && item.Culture is not null && !string.Equals(item.Culture, chain[0], StringComparison.Ordinal))
            {
                item = chain.Select(c => translations.FirstOrDefault(t => t.Culture == c)).FirstOrDefault(t => t is not null) ?? item;
            }
            return Responses.Write(w => ItemJson.Write(w, item, schema, fields, extra: w =>
            {
                w.WriteStartObject("translations");
                foreach (var translation in translations.Where(t => t.Culture is not null))
                {
                    w.WriteString(translation.Culture!, translation.ContentItemId);
                }
                w.WriteEndObject();
            }), item.Culture, $"public, max-age={request.MaxAge}");
        }, cancellationToken);
        return ReferenceEquals(response, NotFound)
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Embassy.Core.ProblemTitles.NotFound,
                detail: $"No published content item has {by} '{(value.Length > 64 ? value[..64] + "…" : value)}'.")
            : new ApiResult(response);
    }

    /// <summary>"Not found" is cached too (until content changes): lookups of missing ids cost no query.</summary>
    private static readonly CachedResponse NotFound = new([], null, "no-store");
}
