using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Core;
using Embassy.MobileApi.Json;

namespace Embassy.MobileApi.OpenApi;

/// <summary>The document's shared parameters, headers and responses.</summary>
public static partial class MobileApiDocument
{

    private static JsonObject SharedParameters(ApiSchema schema, MobileApiOptions options) => new()
    {
        ["culture"] = new JsonObject
        {
            ["name"] = "culture", ["in"] = "query", ["required"] = false,
            ["description"] = $"The culture to serve (else Accept-Language, else `{schema.Localization.Default}`). Items without a translation in it " +
                              "come in the first culture of its fallback chain (see /api/v1/cultures).",
            ["schema"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. schema.Localization.Cultures.Select(c => (JsonNode)c)]) },
        },
        ["acceptLanguage"] = new JsonObject
        {
            ["name"] = "Accept-Language", ["in"] = "header", ["required"] = false,
            ["description"] = "Used when `culture` is not given: the first supported culture it names.",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 256 },
        },
        ["ifNoneMatch"] = new JsonObject
        {
            ["name"] = "If-None-Match", ["in"] = "header", ["required"] = false,
            ["description"] = "The ETag of the copy the client has: 304 Not Modified when it is still current.",
            ["schema"] = new JsonObject { ["type"] = "string" },
        },
        ["cursor"] = new JsonObject
        {
            ["name"] = "cursor", ["in"] = "query", ["required"] = false,
            ["description"] = "The previous page's `next`, to get the page after it. Opaque: send it back as it came.",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = options.MaxQueryLength },
        },
        ["fields"] = new JsonObject
        {
            ["name"] = "fields", ["in"] = "query", ["required"] = false,
            ["description"] = "Comma-separated names (up to 50) of the properties and fields to send, e.g. `title,summary,image`; " +
                              "`id`, `type` and `fields` always come. Without it, everything comes.",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = options.MaxQueryLength },
        },
        ["richText"] = new JsonObject
        {
            ["name"] = "richText", ["in"] = "query", ["required"] = false,
            ["description"] = "How HTML and markdown fields come: `html` (the default: the string as stored, sanitized) or `blocks` " +
                              "(`RichText`: paragraphs, headings, lists, links with the `contentItemId` of items they point at, images with " +
                              "their alt text, for native rendering; also at `/api/v1/schemas/rich-text.json` as a JSON Schema).",
            ["schema"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("html", "blocks"), ["default"] = "html" },
        },
        ["preview"] = new JsonObject
        {
            ["name"] = "preview", ["in"] = "query", ["required"] = false,
            ["description"] = "A preview token an editor made in the CMI (or send it in the `X-Preview-Token` header): the items it covers " +
                              "(one, or all) come as their latest versions, drafts included, answered `private, no-store` with `\"preview\": true`. " +
                              "401 when the token expired or was revoked, 403 when it is for another item. Without it, no draft is ever shown. " +
                              "`/api/v1/sync` refuses it: the app's offline store holds published content only.",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 100 },
        },
        ["previewHeader"] = new JsonObject
        {
            ["name"] = Endpoints.PreviewAccess.Header, ["in"] = "header", ["required"] = false,
            ["description"] = "A preview token, as the `preview` query parameter takes it.",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 100 },
        },
        ["types"] = new JsonObject
        {
            ["name"] = "types", ["in"] = "query", ["required"] = false,
            ["description"] = "Comma-separated content types to sync (default: all), e.g. `News,Alert`. A delta keeps the token's types.",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = options.MaxQueryLength },
        },
        ["token"] = new JsonObject
        {
            ["name"] = "token", ["in"] = "query", ["required"] = false,
            ["description"] = "The `token` of the last sync: what changed since. Not together with `cursor`.",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = options.MaxQueryLength },
        },
        ["path"] = new JsonObject
        {
            ["name"] = "path", ["in"] = "query", ["required"] = true,
            ["description"] = "The item's path, e.g. `news/visa-waiver-program` (leading and trailing slashes are ignored).",
            ["schema"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 512 },
        },
    };

    private static IEnumerable<JsonNode> Parameters(params string[] names) => names.Select(n => (JsonNode)ParameterRef(n));

    private static JsonObject LimitParameter(int defaultValue, int max) => new()
    {
        ["name"] = "limit", ["in"] = "query", ["required"] = false,
        ["description"] = $"Items per page: 1 to {max}, default {defaultValue}.",
        ["schema"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 1, ["maximum"] = max, ["default"] = defaultValue },
    };

    private static JsonObject Flag(string name, string description) => new()
    {
        ["name"] = name, ["in"] = "query", ["required"] = false, ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "boolean", ["default"] = false },
    };

    private static JsonObject Query(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name, ["in"] = "query", ["required"] = false, ["description"] = description, ["schema"] = schema,
    };

    private static JsonObject PathParameter(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name, ["in"] = "path", ["required"] = true, ["description"] = description, ["schema"] = schema,
    };

    private static JsonObject Pattern(string pattern) => new() { ["type"] = "string", ["pattern"] = pattern };

    // ---- responses and headers ----

    private static JsonObject Headers() => new()
    {
        ["ETag"] = new JsonObject { ["description"] = "A strong validator of the body; the same on both servers.", ["schema"] = new JsonObject { ["type"] = "string" } },
        ["Content-Language"] = new JsonObject { ["description"] = "The culture served.", ["schema"] = new JsonObject { ["type"] = "string" } },
        ["Retry-After"] = new JsonObject { ["description"] = "Seconds to wait before trying again.", ["schema"] = new JsonObject { ["type"] = "integer" } },
    };

    private static JsonObject Responses() => new()
    {
        ["NotModified"] = new JsonObject { ["description"] = "Not modified: the ETag in If-None-Match is current.", ["headers"] = new JsonObject { ["ETag"] = HeaderRef("ETag") } },
        ["BadRequest"] = ProblemResponse($"A parameter is invalid or unknown (title `{ProblemTitles.BadRequest}`; `errors` names each)."),
        ["NotFound"] = ProblemResponse($"Nothing published matches (title `{ProblemTitles.NotFound}`)."),
        ["PreviewTokenNotValid"] = ProblemResponse("The preview token expired, was revoked or was never made (title `Preview token not valid`)."),
        ["PreviewTokenNotForThis"] = ProblemResponse("The preview token is for another item (title `Not covered by this preview token`)."),
        ["TooManyRequests"] = ProblemResponse($"This address sent too many requests or opened too many streams (title `{ProblemTitles.TooManyRequests}`).", retryAfter: true),
        ["Unavailable"] = ProblemResponse($"The server cannot answer now: its database is away, or it is at its stream limit (title `{ProblemTitles.Unavailable}`). Retry, or use the other server.", retryAfter: true),
    };

    private static JsonObject ProblemResponse(string description, bool retryAfter = false)
    {
        var response = new JsonObject
        {
            ["description"] = description,
            ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = SchemaRef("Problem") } },
        };
        if (retryAfter)
        {
            response["headers"] = new JsonObject { ["Retry-After"] = HeaderRef("Retry-After") };
        }
        return response;
    }
}
