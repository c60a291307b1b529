using Embassy.Content.Models;
using Embassy.Content.Preview;
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
        var blocks = request.RichTextBlocks();
        if (!request.IsValid)
        {
            return request.Problem();
        }
        if (PreviewAccess.Token(http) is { } token)
        {
            return await PreviewAsync(token, by, value, chain, fields, blocks, http, schema, cancellationToken);
        }
        var key = string.Join('|', "item", by, value, culture, fields is null ? "" : string.Join(',', fields.Order()), blocks ? "blocks" : "html");
        CachedResponse? response = await cache.GetOrCreateAsync(key, async () =>
        {
            var content = http.RequestServices.GetRequiredService<PublishedContent>();
            var item = await find(content, cancellationToken);
            if (item is null)
            {
                return NotFound;
            }
            var translations = item.LocalizationSet is null ? [item] : await content.GetTranslationsAsync(item.LocalizationSet, cancellationToken);
            return WriteItem(item, translations, chain, schema, fields, blocks, preview: false, $"public, max-age={request.MaxAge}");
        }, cancellationToken);
        return ReferenceEquals(response, NotFound)
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Embassy.Core.ProblemTitles.NotFound,
                detail: $"No published content item has {by} '{(value.Length > 64 ? value[..64] + "…" : value)}'.")
            : new ApiResult(response);
    }

    /// <summary>
    /// The latest version, draft or not, for a live preview token that covers the item. Never from or into the shared
    /// response cache, and answered private, no-store: no proxy or CDN keeps a draft. Anything wrong with the token is
    /// said (401/403), never quietly answered with the published version.
    /// </summary>
    private static async Task<IResult> PreviewAsync(string token, string by, string value, IReadOnlyList<string>? chain, IReadOnlySet<string>? fields,
        bool blocks, HttpContext http, ApiSchema schema, CancellationToken cancellationToken)
    {
        var (preview, problem) = await PreviewAccess.CheckAsync(token, http, cancellationToken);
        if (preview is null)
        {
            return problem!;
        }
        var drafts = http.RequestServices.GetRequiredService<DraftPreview>();
        var item = by switch
        {
            "alias" => await drafts.ByAliasAsync(value, cancellationToken),
            "path" => await drafts.ByPathAsync(value.Trim('/'), cancellationToken),
            _ => await http.RequestServices.GetRequiredService<ContentManager>().GetLatestAsync(value, cancellationToken),
        };
        if (item is not null && !DraftPreview.Covers(preview, item.ContentItemId))
        {
            return PreviewAccess.NotCovered();
        }
        if (item is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Embassy.Core.ProblemTitles.NotFound,
                detail: $"No content item has {by} '{(value.Length > 64 ? value[..64] + "…" : value)}'.");
        }
        var content = http.RequestServices.GetRequiredService<ContentManager>();
        var translations = new List<ContentItem> { item };
        if (item.LocalizationSet is not null)
        {
            foreach (var (_, id) in await http.RequestServices.GetRequiredService<EditorQueries>().TranslationsAsync(item.LocalizationSet, cancellationToken))
            {
                // Another culture's draft only where the token covers that item too; otherwise its published version, if any.
                if (id != item.ContentItemId && await (DraftPreview.Covers(preview, id) ? content.GetLatestAsync(id, cancellationToken)
                        : content.GetPublishedAsync(id, cancellationToken)) is { } translation)
                {
                    translations.Add(translation);
                }
            }
        }
        return new ApiResult(WriteItem(item, translations, chain, schema, fields, blocks, preview: true, PreviewAccess.CacheControl));
    }

    /// <summary>The item in the first culture of the chain it has a translation in (else as it is), with the map of its
    /// translations; a preview says it is one.</summary>
    private static CachedResponse WriteItem(ContentItem item, IReadOnlyList<ContentItem> translations, IReadOnlyList<string>? chain, ApiSchema schema,
        IReadOnlySet<string>? fields, bool blocks, bool preview, string cacheControl)
    {
        if (chain is not null && item.Culture is not null && !string.Equals(item.Culture, chain[0], StringComparison.Ordinal))
        {
            item = chain.Select(c => translations.FirstOrDefault(t => t.Culture == c)).FirstOrDefault(t => t is not null) ?? item;
        }
        return Responses.Write(w => ItemJson.Write(w, item, schema, fields, richTextBlocks: blocks, extra: w =>
        {
            if (preview)
            {
                w.WriteBoolean("preview", true);
            }
            w.WriteStartObject("translations");
            foreach (var translation in translations.Where(t => t.Culture is not null))
            {
                w.WriteString(translation.Culture!, translation.ContentItemId);
            }
            w.WriteEndObject();
        }), item.Culture, cacheControl);
    }

    /// <summary>"Not found" is cached too (until content changes): lookups of missing ids cost no query.</summary>
    private static readonly CachedResponse NotFound = new([], null, "no-store");
}
