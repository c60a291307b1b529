using System.Text.Json.Nodes;
using Embassy.MobileApi.Caching;
using Embassy.MobileApi.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Endpoints;

/// <summary>/api/v1/types (the schema the app renders) and /api/v1/cultures.</summary>
internal static class SchemaEndpoints
{
    public static async Task<IResult> TypesAsync(ApiSchemaProvider schemas, ApiResponseCache cache, Contract.ResponseContract contract, CancellationToken cancellationToken)
    {
        var schema = await schemas.GetAsync(cancellationToken);
        var response = await cache.GetOrCreateAsync("types", () =>
            Task.FromResult(contract.Write(new Contract.TypesDocument(schema.Describe()), null, "public, max-age=300")), cancellationToken);
        return new ApiResult(response);
    }

    /// <summary>The JSON Schema of rich text as blocks, for apps and tools that validate what they render.</summary>
    public static async Task<IResult> RichTextSchemaAsync(ApiResponseCache cache, CancellationToken cancellationToken)
    {
        var response = await cache.GetOrCreateAsync("rich-text-schema", () => Task.FromResult(Responses.Json(new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "/api/v1/schemas/rich-text.json",
            ["title"] = "Embassy CMS rich text as blocks",
            ["$ref"] = "#/$defs/" + Embassy.Content.Elements.RichText.SchemaName,
            ["$defs"] = Embassy.Content.Elements.RichText.Schema(),
        }, null, "public, max-age=300")), cancellationToken);
        return new ApiResult(response);
    }

    public static async Task<IResult> CulturesAsync(ApiSchemaProvider schemas, ApiResponseCache cache, Contract.ResponseContract contract, CancellationToken cancellationToken)
    {
        var localization = (await schemas.GetAsync(cancellationToken)).Localization;
        var response = await cache.GetOrCreateAsync("cultures", () => Task.FromResult(contract.Write(new Contract.CulturesDocument(localization.Default,
            [.. localization.Cultures.Select(c => new Contract.CultureEntry(c, localization.Fallback.GetValueOrDefault(c, [])))]), null, "public, max-age=300")),
            cancellationToken);
        return new ApiResult(response);
    }
}
