using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Core;
using Embassy.MobileApi.Json;

namespace Embassy.MobileApi.OpenApi;

/// <summary>
/// The mobile API's OpenAPI 3.1 document, built from the content definitions: every content type has its own item,
/// list and fields schemas (so a generated client has typed fields), every parameter is declared with its type and
/// bounds, and every response the API gives is declared (200, 304, 400, 404, 429, 503). It holds the public API only;
/// the CMI's endpoints are in /openapi/admin.json. Rebuilt when the definitions (a recipe) or the cultures change.
/// </summary>
public static partial class MobileApiDocument
{
    private const string Ref = "#/components/schemas/";

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NotAlphanumeric();

    public static JsonObject Build(ApiSchema schema, MobileApiOptions options, Contract.ResponseContract contract, string serverUrl)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contract);
        var schemas = ItemSchemas();
        foreach (var (name, definition) in contract.Schemas())
        {
            schemas[name] = definition!.DeepClone();
        }
        // The kinds of field come from the field registry.
        schemas["FieldInfo"]!["properties"]!["kind"]!["enum"] = new JsonArray([.. schema.Elements.ApiKinds.Select(k => (JsonNode)k)]);
        var listPage = schemas["ListPage"]!.AsObject();
        schemas.Remove("ListPage");
        var paths = new JsonObject();
        var types = schema.Types.Values.OrderBy(t => t.Type.Name, StringComparer.Ordinal).ToList();
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var map in types)
        {
            var name = map.Type.Name;
            schemas[name + "Fields"] = FieldsSchema(map);
            schemas[name + "ListItem"] = ItemSchema(map, withTranslations: false);
            schemas[name + "Item"] = ItemSchema(map, withTranslations: true);
            schemas[name + "List"] = ListSchema(listPage, map);
            var operationId = "list" + NotAlphanumeric().Replace(name, "");
            for (var n = 2; !operationIds.Add(operationId); n++)
            {
                operationId = "list" + NotAlphanumeric().Replace(name, "") + n;
            }
            paths["/api/v1/content/" + Uri.EscapeDataString(name)] = new JsonObject { ["get"] = ListOperation(map, operationId, options) };
        }
        schemas["ItemOfAnyType"] = Union(types, "Item", "An item of any content type; `type` says which.");
        foreach (var (name, definition) in Embassy.Content.Elements.RichText.Schema("#/components/schemas/"))
        {
            schemas[name] = definition!.DeepClone();
        }
        schemas["ListItemOfAnyType"] = Union(types, "ListItem", "A list or sync item of any content type; `type` says which.");

        paths["/api/v1/items/{id}"] = Get("getItem", "Content", "One published item by id.",
            "The item in the culture asked for (following the fallback chain to a translation), or as it is. " +
            "`translations` maps each culture to the id of the item's translation in it.",
            [PathParameter("id", "The item's id (ContentItemId).", Pattern("^[A-Za-z0-9_-]{1,64}$")), .. Parameters("culture", "fields", "richText", "preview", "previewHeader")],
            Ok("ItemOfAnyType", "public, max-age=" + options.ContentMaxAgeSeconds, withLanguage: true), notFound: true);
        paths["/api/v1/items/by-alias/{alias}"] = Get("getItemByAlias", "Content", "One published item by its alias (AliasPart).", null,
            [PathParameter("alias", "The item's alias.", new JsonObject { ["type"] = "string", ["maxLength"] = 512 }), .. Parameters("culture", "fields", "richText", "preview", "previewHeader")],
            Ok("ItemOfAnyType", "public, max-age=" + options.ContentMaxAgeSeconds, withLanguage: true), notFound: true);
        paths["/api/v1/items/by-path"] = Get("getItemByPath", "Content", "One published item by its path (AutoroutePart).", null,
            [.. Parameters("path", "culture", "fields", "richText", "preview", "previewHeader")],
            Ok("ItemOfAnyType", "public, max-age=" + options.ContentMaxAgeSeconds, withLanguage: true), notFound: true);
        foreach (var route in new[] { "/api/v1/items/{id}", "/api/v1/items/by-alias/{alias}", "/api/v1/items/by-path" })
        {
            AcceptsPreviewTokens(paths[route]!["get"]!.AsObject());
        }
        paths["/api/v1/sync"] = Get("sync", "Sync", "Delta sync for the app's offline cache.",
            "**Initial sync**: call without `token`; while the page has `next`, call again with `cursor` set to it (same `types` and " +
            "`culture`); the last page has `token`. **Delta**: call with `token` to get what changed since — items published or " +
            "updated in `items`, unpublished or deleted ones in `deleted` — and a new `token`; call again with it while `hasMore`. " +
            "A token works on either server. A token this API did not issue is a 400: start an initial sync.",
            [.. Parameters("types", "culture"), LimitParameter(100, 500), .. Parameters("cursor", "token", "richText")],
            Ok("SyncPage", "no-cache", withLanguage: false), notFound: false);
        paths["/api/v1/search"] = Get("search", "Content", "Published items found by words.",
            "Plain words, never a query language: `title:*`, `*foo`, `a~` or quotes are only their letters. Polish and English words " +
            "are found in their other forms (`paszportu` finds `paszport`, `passports` finds `passport`) and without their diacritics " +
            "(`zolnierz` finds `żołnierz`); every word must be found (in the title, a summary field or the body; titles count most), " +
            "unless none matches all of them, then any. Items come in the culture asked for, or in the next of its fallback chain " +
            "when their translation set is not published in it, as the lists do. `next` pages on, up to 500 items.",
            [new JsonObject
            {
                ["name"] = "q", ["in"] = "query", ["required"] = true, ["description"] = "The words to look for.",
                ["schema"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 200 },
            }, .. Parameters("culture", "types"), LimitParameter(10, 50), .. Parameters("cursor")],
            Ok("SearchPage", "public, max-age=" + options.ContentMaxAgeSeconds, withLanguage: true), notFound: false);
        paths["/api/v1/search"]!["get"]!["responses"]!.AsObject()["503"] = ResponseRef("Unavailable");
        paths["/api/v1/types"] = Get("listTypes", "Schema", "The content types and the fields of their items.", null, [],
            Ok("TypesDocument", "public, max-age=300", withLanguage: false), notFound: false);
        paths["/api/v1/cultures"] = Get("listCultures", "Schema", "The cultures served and their fallback chains.", null, [],
            Ok("CulturesDocument", "public, max-age=300", withLanguage: false), notFound: false);
        paths["/api/v1/schemas/rich-text.json"] = Get("getRichTextSchema", "Schema", "The JSON Schema (2020-12) of rich text as blocks (`?richText=blocks`).", null, [],
            Ok(new JsonObject
            {
                ["type"] = "object", ["required"] = new JsonArray("$schema", "$defs"),
                ["properties"] = new JsonObject
                {
                    ["$schema"] = new JsonObject { ["type"] = "string" }, ["$id"] = new JsonObject { ["type"] = "string" },
                    ["title"] = new JsonObject { ["type"] = "string" }, ["$ref"] = new JsonObject { ["type"] = "string" },
                    ["$defs"] = new JsonObject { ["type"] = "object" },
                },
            }, "public, max-age=300", withLanguage: false), notFound: false);
        paths["/api/v1/videos"] = Get("listVideos", "Media", "Videos ready to play.",
            "Each with `streamUrl` (progressive, with ranges), `hlsUrl` once packaged, `posterUrl`, duration, size and SHA-256.", [],
            Ok(new JsonObject { ["type"] = "array", ["items"] = SchemaRef("Video") }, "public, max-age=15", withLanguage: false), notFound: false);
        paths["/api/v1/videos/{id}"] = Get("getVideo", "Media", "One video by id (its SHA-256), with its processing status.", null,
            [PathParameter("id", "The video's id: the 64 lowercase hex digits of its SHA-256.", Pattern("^[0-9a-f]{64}$"))],
            Ok("Video", "public, max-age=15", withLanguage: false), notFound: true);
        paths["/api/content/{contentItemId}"] = OrchardContent();
        paths["/media/{path}"] = Media();

        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "Embassy CMS mobile API",
                ["version"] = "1",
                ["description"] = "Published content of the US Embassy Mission Poland app: lists, items, delta sync, types, cultures, " +
                                  "videos and media files. Every response carries an ETag: send it back in If-None-Match to get 304 " +
                                  "when nothing changed. Both servers (master and standby) serve the same API and the same ETags.",
                ["license"] = new JsonObject { ["name"] = "Public domain (a work of the U.S. Government)", ["identifier"] = "CC0-1.0" },
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = serverUrl, ["description"] = "This server" }),
            ["security"] = new JsonArray(),
            ["tags"] = new JsonArray(
                Tag("Content", "Published items: lists per content type, and single items by id, alias or path."),
                Tag("Sync", "The app's offline cache: an initial sync in pages, then deltas."),
                Tag("Schema", "What the app needs to render: the content types, their fields, and the cultures."),
                Tag("Media", "Videos and media files (images, documents, video streams with HTTP ranges)."),
                Tag("Orchard", "Orchard Core's own content API, for tools that speak it.")),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["parameters"] = SharedParameters(schema, options),
                ["headers"] = Headers(),
                ["responses"] = Responses(),
            },
        };
    }

    // ---- operations ----

    private static JsonObject ListOperation(TypeMap map, string operationId, MobileApiOptions options)
    {
        var name = map.Type.Name;
        var orders = new JsonArray("published");
        if (map.NaturalOrder != "published")
        {
            orders.Add(map.NaturalOrder);
        }
        var parameters = new List<JsonNode>
        {
            ParameterRef("culture"), ParameterRef("acceptLanguage"), ParameterRef("ifNoneMatch"),
            LimitParameter(options.DefaultPageSize, options.MaxPageSize), ParameterRef("cursor"),
            new JsonObject
            {
                ["name"] = "order", ["in"] = "query", ["required"] = false,
                ["description"] = $"The order of the list. Default: `{map.NaturalOrder}`" + map.NaturalOrder switch
                {
                    "start" => " (by start date, soonest first).",
                    "order" => " (by the type's order number).",
                    _ => " (newest first).",
                },
                ["schema"] = new JsonObject { ["type"] = "string", ["enum"] = orders, ["default"] = map.NaturalOrder },
            },
        };
        if (map.HasEnd)
        {
            parameters.Add(Flag("upcoming", "true: only items that have not ended yet."));
            parameters.Add(Flag("active", "true: only items that have not ended yet (the same filter, named for alerts)."));
        }
        parameters.Add(ParameterRef("fields"));
        parameters.Add(ParameterRef("richText"));
        parameters.Add(ParameterRef("preview"));
        parameters.Add(ParameterRef("previewHeader"));
        return Operation(operationId, "Content", $"A page of published {map.Type.DisplayName} items.",
            "Pages: while `next` is not null, call again with `cursor` set to it (same culture and order). " +
            "Items not in the culture asked for come in the first culture of its fallback chain that they have.",
            parameters, Ok(name + "List", "public, max-age=" + options.ContentMaxAgeSeconds, withLanguage: true), notFound: false) is var operation
            ? AcceptsPreviewTokens(operation) : operation;
    }

    /// <summary>A route a preview token works on: its 401 and 403.</summary>
    private static JsonObject AcceptsPreviewTokens(JsonObject operation)
    {
        var responses = operation["responses"]!.AsObject();
        responses["401"] = ResponseRef("PreviewTokenNotValid");
        responses["403"] = ResponseRef("PreviewTokenNotForThis");
        return operation;
    }

    private static JsonObject Get(string operationId, string tag, string summary, string? description, List<JsonNode> parameters,
        JsonObject ok, bool notFound)
    {
        parameters.Insert(0, ParameterRef("ifNoneMatch"));
        if (parameters.Any(p => (string?)p["$ref"] == "#/components/parameters/culture"))
        {
            parameters.Insert(1, ParameterRef("acceptLanguage"));
        }
        return new JsonObject { ["get"] = Operation(operationId, tag, summary, description, parameters, ok, notFound) };
    }

    private static JsonObject Operation(string operationId, string tag, string summary, string? description, List<JsonNode> parameters,
        JsonObject ok, bool notFound)
    {
        var responses = new JsonObject
        {
            ["200"] = ok,
            ["304"] = ResponseRef("NotModified"),
            ["400"] = ResponseRef("BadRequest"),
        };
        if (notFound)
        {
            responses["404"] = ResponseRef("NotFound");
        }
        responses["429"] = ResponseRef("TooManyRequests");
        responses["503"] = ResponseRef("Unavailable");
        var operation = new JsonObject
        {
            ["operationId"] = operationId,
            ["tags"] = new JsonArray(tag),
            ["summary"] = summary,
        };
        if (description is not null)
        {
            operation["description"] = description;
        }
        operation["parameters"] = new JsonArray([.. parameters]);
        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject Ok(string schemaName, string cacheControl, bool withLanguage) => Ok(SchemaRef(schemaName), cacheControl, withLanguage);

    private static JsonObject Ok(JsonObject schema, string cacheControl, bool withLanguage)
    {
        var headers = new JsonObject
        {
            ["ETag"] = HeaderRef("ETag"),
            ["Cache-Control"] = new JsonObject { ["description"] = $"`{cacheControl}`", ["schema"] = new JsonObject { ["type"] = "string" } },
        };
        if (withLanguage)
        {
            headers["Content-Language"] = HeaderRef("Content-Language");
        }
        return new JsonObject
        {
            ["description"] = "OK",
            ["headers"] = headers,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
        };
    }
}
