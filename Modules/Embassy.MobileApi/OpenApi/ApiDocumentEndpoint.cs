using Embassy.MobileApi.Caching;
using Embassy.MobileApi.Endpoints;
using Embassy.MobileApi.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.OpenApi;

/// <summary>GET /openapi/v1.json: the mobile API's document, cached and validated (ETag, 304) like the API's responses;
/// it changes, with a new ETag, when a recipe changes the content types.</summary>
internal static class ApiDocumentEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, IOptions<MobileApiOptions> options, ApiSchemaProvider schemas,
        ApiResponseCache cache, Contract.ResponseContract contract, CancellationToken cancellationToken)
    {
        var schema = await schemas.GetAsync(cancellationToken);
        var server = ServerUrl(http, options.Value);
        var response = await cache.GetOrCreateAsync($"openapi|{schema.DefinitionsVersion}|{server}", () =>
            Task.FromResult(Responses.Json(MobileApiDocument.Build(schema, options.Value, contract, server), null, "public, max-age=60")), cancellationToken);
        return new ApiResult(response);
    }

    /// <summary>The configured public address, else the request's (scheme and host, after the forwarded-headers step);
    /// never with a trailing slash, so that the document's paths join it as they are.</summary>
    private static string ServerUrl(HttpContext http, MobileApiOptions options)
    {
        var url = options.PublicBaseUrl?.ToString() ?? $"{http.Request.Scheme}://{http.Request.Host.Value}{http.Request.PathBase}";
        return url.TrimEnd('/');
    }
}
