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

    public static JsonObject Build(ApiSchema schema, MobileApiOptions options, string serverUrl)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        var schemas = CommonSchemas(schema);
        var paths = new JsonObject();
        var types = schema.Types.Values.OrderBy(t => t.Type.Name, StringComparer.Ordinal).ToList();
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var map in types)
        {
            var name = map.Type.Name;
            schemas[name + "Fields"] = FieldsSchema(map);
            schemas[name + "ListItem"] = ItemSchema(map, withTranslations: false);
            schemas[name + "Item"] = ItemSchema(map, withTranslations: true);
            schemas[name + "List"] = ListSchema(map);
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

    private static JsonObject OrchardContent() => new()
    {
        ["get"] = new JsonObject
        {
            ["operationId"] = "getOrchardContentItem",
            ["tags"] = new JsonArray("Orchard"),
            ["summary"] = "The published version of a content item, in Orchard Core's JSON shape.",
            ["parameters"] = new JsonArray(PathParameter("contentItemId", "The item's id.", new JsonObject { ["type"] = "string", ["maxLength"] = 64 })),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaRef("OrchardContentItemDocument") } },
                },
                ["404"] = new JsonObject { ["description"] = "No published item has this id (no body, as Orchard Core answers)." },
                ["429"] = ResponseRef("TooManyRequests"),
                ["503"] = ResponseRef("Unavailable"),
            },
        },
    };

    private static JsonObject Media()
    {
        JsonObject MediaOperation(string operationId, string summary, bool head)
        {
            JsonObject Body(string description) => head
                ? new JsonObject { ["description"] = description, ["headers"] = MediaHeaders() }
                : new JsonObject
                {
                    ["description"] = description,
                    ["headers"] = MediaHeaders(),
                    ["content"] = new JsonObject { ["application/octet-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["contentMediaType"] = "application/octet-stream" } } },
                };
            return new JsonObject
            {
                ["operationId"] = operationId,
                ["tags"] = new JsonArray("Media"),
                ["summary"] = summary,
                ["description"] = "Served with ranges (`Range`, `If-Range`: 206, 416), validators (`ETag`, `Last-Modified`: 304; `If-Match`: 412) and " +
                                  "`Content-Security-Policy: default-src 'none'; sandbox`. On the standby, a file that has not reached it yet " +
                                  "is redirected to the master (302) while the master answers.",
                ["parameters"] = new JsonArray(
                    PathParameter("path", "The file's path in the media library, e.g. `news/photo.jpg` (its slashes are not encoded).", new JsonObject { ["type"] = "string" }),
                    ParameterRef("ifNoneMatch"),
                    new JsonObject { ["name"] = "Range", ["in"] = "header", ["required"] = false, ["description"] = "A byte range, e.g. `bytes=0-1048575`.", ["schema"] = new JsonObject { ["type"] = "string" } },
                    new JsonObject { ["name"] = "If-Range", ["in"] = "header", ["required"] = false, ["description"] = "Serve the range only if the file still has this ETag.", ["schema"] = new JsonObject { ["type"] = "string" } },
                    // Image transforms, with Orchard Core's (ImageSharp.Web's) query names.
                    Query("width", "Images: the width, one of the supported sizes (Orchard's: " + string.Join(", ", Embassy.Media.Images.ImageOptions.DefaultSupportedSizes) + "); others are a 400.", new JsonObject { ["type"] = "integer", ["minimum"] = 1 }),
                    Query("height", "Images: the height, one of the supported sizes.", new JsonObject { ["type"] = "integer", ["minimum"] = 1 }),
                    Query("rmode", "Images: how the picture fits the box. `crop` (the default) fills it around the focal point; `pad` fits and pads; `boxpad` pads without enlarging; `max` fits; `min` covers without enlarging; `stretch` ignores proportions.",
                        new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("crop", "pad", "boxpad", "max", "min", "stretch") }),
                    Query("rxy", "Images: the focal point `x,y` (0 to 1 from the left and top) kept in view when cropping; media fields give it as `focalPoint`.", new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9.]+,[0-9.]+$" }),
                    Query("format", "Images: the format; `auto` gives WebP when Accept allows it (with `Vary: Accept`), else the original's.", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("jpg", "png", "webp", "auto") }),
                    Query("quality", "Images: JPEG and WebP quality.", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 100 }),
                    Query("bgcolor", "Images: the padding colour, `RRGGBB`, `RRGGBBAA`, `white`, `black` or `transparent`.", new JsonObject { ["type"] = "string" }),
                    Query("profile", "Images: a media profile by name (its size, mode and format); only `rxy` may be added. Media fields list the profiles' ready URLs.", new JsonObject { ["type"] = "string" })),
                ["responses"] = new JsonObject
                {
                    ["200"] = Body("The whole file, or with width, height or profile the image's derivative (resized, upright, without EXIF or GPS metadata; `Vary: Accept` when its format came from Accept)."),
                    ["400"] = head ? new JsonObject { ["description"] = "A transform parameter is not valid (a size off the supported list, an unknown profile …)." } : ResponseRef("BadRequest"),
                    ["422"] = head ? new JsonObject { ["description"] = "The image cannot be transformed (corrupt, truncated, or too many pixels)." } : new JsonObject
                    {
                        ["description"] = "The image cannot be transformed (corrupt, truncated, or too many pixels).",
                        ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = SchemaRef("Problem") } },
                    },
                    ["206"] = Body("The range asked for (`Content-Range` says which)."),
                    ["302"] = new JsonObject { ["description"] = "On the standby: the file is not here yet; the master has it (Location)." },
                    ["304"] = ResponseRef("NotModified"),
                    ["404"] = head ? new JsonObject { ["description"] = "No media file at this path." } : ResponseRef("NotFound"),
                    ["412"] = new JsonObject { ["description"] = "If-Match named another version of the file." },
                    ["416"] = new JsonObject { ["description"] = "The range is outside the file (`Content-Range: bytes */size`)." },
                    ["429"] = head ? new JsonObject { ["description"] = "Too many requests or streams from this address (Retry-After)." } : ResponseRef("TooManyRequests"),
                    ["503"] = head ? new JsonObject { ["description"] = "Too many streams on this server, or the file has not arrived (Retry-After)." } : ResponseRef("Unavailable"),
                },
            };
        }
        return new JsonObject
        {
            ["get"] = MediaOperation("getMedia", "A media file (or a range of it).", head: false),
            ["head"] = MediaOperation("headMedia", "A media file's headers: size, type and validators, without the body.", head: true),
        };
    }

    private static JsonObject MediaHeaders() => new()
    {
        ["ETag"] = HeaderRef("ETag"),
        ["Accept-Ranges"] = new JsonObject { ["description"] = "`bytes`", ["schema"] = new JsonObject { ["type"] = "string" } },
        ["Content-Length"] = new JsonObject { ["description"] = "The size of the body.", ["schema"] = new JsonObject { ["type"] = "integer" } },
        ["Last-Modified"] = new JsonObject { ["description"] = "When the file was stored.", ["schema"] = new JsonObject { ["type"] = "string" } },
    };

    // ---- parameters ----

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

    // ---- schemas ----

    private static JsonObject CommonSchemas(ApiSchema schema) => new()
    {
        ["Problem"] = Object("An error (RFC 9457 problem details).", ["title", "status", "traceId"],
            ("type", Text("A URI naming the kind of error.")),
            ("title", Text("The kind of error: one title per status.")),
            ("status", new JsonObject { ["type"] = "integer", ["format"] = "int32" }),
            ("detail", Text("What exactly went wrong.")),
            ("instance", Text(null)),
            ("traceId", Text("The request's trace id, for the server's log.")),
            ("errors", new JsonObject
            {
                ["type"] = "object", ["description"] = "400 only: each invalid parameter and what is wrong with it.",
                ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            })),
        ["Link"] = Object("A link field.", ["url", "text"], ("url", NullableText("http(s), mailto:, tel: or a path on this site.")), ("text", NullableText(null))),
        ["MediaFile"] = Object("A media file an item refers to. Images also have their size and a URL per media profile; videos have stream, HLS and poster URLs.", ["path", "url", "alt", "text", "focalPoint"],
            ("path", Text("The file's path in the media library.")),
            ("url", Text("Where this server serves it (relative to the server): the original file.")),
            ("width", new JsonObject { ["type"] = new JsonArray("integer", "null"), ["description"] = "Images: the width as shown (after its EXIF orientation), null if not known." }),
            ("height", new JsonObject { ["type"] = new JsonArray("integer", "null"), ["description"] = "Images: the height as shown, null if not known." }),
            ("profiles", new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Images: a ready URL per media profile (e.g. thumbnail, card, hero), cropped around the focal point; WebP where the app's Accept allows it.",
                ["additionalProperties"] = new JsonObject { ["type"] = "string" },
            }),
            ("alt", NullableText("The alternative text for screen readers (each translation of the item has its own); null when none was written, \"\" for a decorative picture.")),
            ("streamUrl", Text("Videos: progressive stream, with ranges.")),
            ("hlsUrl", Text("Videos: the HLS playlist once packaged.")),
            ("posterUrl", Text("Videos: the poster image once made.")),
            ("text", NullableText("The same as alt (Orchard's name for it).")),
            ("focalPoint", Object("The focal point: where to keep the picture's centre when it is cropped (0 to 1 from the left and top; 0.5, 0.5 unless an editor set it).", ["x", "y"],
                ("x", new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 }),
                ("y", new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 })))),
        ["BagEntry"] = Object("An item held inside another (BagPart): no versions or publication of its own.", ["id", "type", "title", "fields"],
            ("id", NullableText(null)),
            ("type", Text("Its content type (see /api/v1/types for its fields).")),
            ("title", NullableText(null)),
            ("fields", new JsonObject { ["type"] = "object", ["description"] = "Its fields, as its type's fields schema describes.", ["additionalProperties"] = new JsonObject() })),
        ["Tombstone"] = Object("An item that left the app's view: unpublished or deleted.", ["id", "type", "culture"],
            ("id", Text(null)), ("type", Text(null)), ("culture", NullableText(null))),
        ["SyncPage"] = Object("A page of a sync.", ["mode", "items", "deleted", "next", "token", "hasMore"],
            ("mode", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("initial", "delta"), ["description"] = "`initial`: pages of every item; `delta`: what changed since the token." }),
            ("items", new JsonObject { ["type"] = "array", ["items"] = SchemaRef("ListItemOfAnyType") }),
            ("deleted", new JsonObject { ["type"] = "array", ["items"] = SchemaRef("Tombstone") }),
            ("next", NullableText("Initial sync: send back as `cursor` for the next page; null on the last page.")),
            ("token", NullableText("The token of the next delta: on the last page of an initial sync, and on every delta page.")),
            ("hasMore", new JsonObject { ["type"] = "boolean", ["description"] = "Delta: more changes wait; call again with the new token." })),
        ["SearchHit"] = Object("An item found.", ["id", "type", "culture", "title", "snippet", "highlights", "score"],
            ("id", Text(null)), ("type", Text(null)), ("culture", NullableText(null)), ("title", Text(null)),
            ("snippet", Text("Plain text from the item around the first word found (… where it is cut).")),
            ("highlights", new JsonObject
            {
                ["type"] = "array", ["description"] = "The words found in `snippet`: where each starts (in UTF-16 code units, as JavaScript, Kotlin and Swift's NSString count) and how long it is.",
                ["items"] = Object("A word found.", ["start", "length"], ("start", new JsonObject { ["type"] = "integer", ["minimum"] = 0 }), ("length", new JsonObject { ["type"] = "integer", ["minimum"] = 1 })),
            }),
            ("score", new JsonObject { ["type"] = "number", ["description"] = "How well it matches (higher first; comparable within one search only)." })),
        ["SearchPage"] = Object("A page of search results, best first.", ["q", "culture", "total", "items", "next"],
            ("q", Text(null)), ("culture", Text("The culture served.")),
            ("total", new JsonObject { ["type"] = "integer", ["description"] = "How many items match in all." }),
            ("items", new JsonObject { ["type"] = "array", ["items"] = SchemaRef("SearchHit") }),
            ("next", NullableText("Send back as `cursor` (with the same q, culture and types) for the next page; null on the last."))),
        ["FieldOption"] = Object("A value a text field may take.", ["value", "name"], ("value", NullableText(null)), ("name", NullableText(null))),
        ["FieldInfo"] = Object("A field of a content type's items.", ["key", "kind", "displayName", "description", "options"],
            ("key", Text("Its key in the item's `fields`.")),
            ("kind", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. schema.Elements.ApiKinds.Select(k => (JsonNode)k)]) }),
            ("displayName", Text(null)),
            ("description", NullableText(null)),
            ("options", new JsonObject { ["type"] = new JsonArray("array", "null"), ["items"] = SchemaRef("FieldOption") })),
        ["TypeInfo"] = Object("A content type.", ["name", "displayName", "description", "listable", "order", "hasEnd", "fields"],
            ("name", Text(null)), ("displayName", Text(null)), ("description", NullableText(null)),
            ("listable", new JsonObject { ["type"] = "boolean" }),
            ("order", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("published", "start", "order") }),
            ("hasEnd", new JsonObject { ["type"] = "boolean", ["description"] = "Its lists take `upcoming` / `active`." }),
            ("fields", new JsonObject { ["type"] = "array", ["items"] = SchemaRef("FieldInfo") })),
        ["TypesDocument"] = Object("The content types.", ["types"], ("types", new JsonObject { ["type"] = "array", ["items"] = SchemaRef("TypeInfo") })),
        ["CultureInfo"] = Object("A culture and its fallback chain.", ["code", "fallback"],
            ("code", Text(null)), ("fallback", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } })),
        ["CulturesDocument"] = Object("The cultures served.", ["default", "cultures"],
            ("default", Text($"The default culture (`{schema.Localization.Default}`).")),
            ("cultures", new JsonObject { ["type"] = "array", ["items"] = SchemaRef("CultureInfo") })),
        ["Video"] = Object("A video.", ["id", "path", "streamUrl", "hlsUrl", "posterUrl", "durationSeconds", "width", "height", "sizeBytes", "sha256", "status", "progress"],
            ("id", Text("The SHA-256 of the file.")), ("path", Text(null)), ("streamUrl", Text(null)),
            ("hlsUrl", NullableText(null)), ("posterUrl", NullableText(null)),
            ("durationSeconds", Nullable("number", null)), ("width", Nullable("integer", null)), ("height", Nullable("integer", null)),
            ("sizeBytes", new JsonObject { ["type"] = "integer", ["format"] = "int64" }), ("sha256", Text(null)),
            ("status", Text("`ready`, or the processing state.")),
            ("progress", new JsonObject { ["type"] = "number", ["description"] = "0 to 1." })),
        ["OrchardContentItemDocument"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "A content item as Orchard Core stores it: its metadata and one property per part.",
            ["required"] = new JsonArray("ContentItemId", "ContentType"),
            ["properties"] = new JsonObject
            {
                ["ContentItemId"] = Text(null), ["ContentItemVersionId"] = NullableText(null), ["ContentType"] = Text(null),
                ["DisplayText"] = NullableText(null), ["Latest"] = new JsonObject { ["type"] = "boolean" }, ["Published"] = new JsonObject { ["type"] = "boolean" },
                ["ModifiedUtc"] = NullableDate(), ["PublishedUtc"] = NullableDate(), ["CreatedUtc"] = NullableDate(),
                ["Owner"] = NullableText(null), ["Author"] = NullableText(null),
            },
            ["additionalProperties"] = new JsonObject(),
        },
    };

    private static JsonObject FieldsSchema(TypeMap map)
    {
        var properties = new JsonObject();
        foreach (var field in map.Fields)
        {
            // The field's kind says what the app receives (ContentElements); what no kind claims goes out as stored.
            var schema = field.Element?.ApiSchema() ?? new JsonObject { ["type"] = new JsonArray("object", "null"), ["additionalProperties"] = new JsonObject() };
            var description = (string?)field.Settings["ContentPartFieldSettings"]?["Description"];
            schema["description"] = string.IsNullOrWhiteSpace(description) ? field.DisplayName : $"{field.DisplayName}: {description}";
            properties[field.Key] = schema;
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"The fields of a {map.Type.DisplayName} item. All are sent unless `fields` picks some.",
            ["properties"] = properties,
        };
    }

    private static JsonObject ItemSchema(TypeMap map, bool withTranslations)
    {
        var name = map.Type.Name;
        var properties = new JsonObject
        {
            ["id"] = Text("The item's id."),
            ["versionId"] = Text("The published version's id."),
            ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(name) },
            ["culture"] = NullableText("The item's culture (null: not localized)."),
            ["localizationSet"] = NullableText("Shared by an item and its translations."),
            ["title"] = NullableText(null),
            ["alias"] = NullableText(null),
            ["path"] = NullableText(null),
            ["publishedUtc"] = NullableDate(),
            ["modifiedUtc"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            ["fields"] = SchemaRef(name + "Fields"),
        };
        var required = new JsonArray("id", "type", "fields");
        if (withTranslations)
        {
            properties["translations"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Culture → the id of the item's translation in it (the item itself included).",
                ["additionalProperties"] = new JsonObject { ["type"] = "string" },
            };
            required.Add("translations");
            properties["preview"] = new JsonObject
            {
                ["type"] = "boolean", ["const"] = true,
                ["description"] = "Only in answers to a preview token: this is the item's latest version, which may be an unpublished draft.",
            };
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"A published {map.Type.DisplayName} item. `id`, `type` and `fields` always come; the other properties come " +
                              "unless `fields` leaves them out.",
            ["required"] = required,
            ["properties"] = properties,
        };
    }

    private static JsonObject ListSchema(TypeMap map) => Object($"A page of {map.Type.DisplayName} items.", ["type", "culture", "order", "items", "next"],
        ("type", Text(null)),
        ("culture", Text("The culture served.")),
        ("order", Text("The order of the list.")),
        ("preview", new JsonObject
        {
            ["type"] = "boolean", ["const"] = true,
            ["description"] = "Only in answers to a preview token: covered items come as their latest versions (drafts included), and " +
                              "drafts never published are merged in where the order puts them (newest-first lists: at the top of the first " +
                              "page). Paging follows the published list, so such a page may hold more items than `limit`.",
        }),
        ("items", new JsonObject { ["type"] = "array", ["items"] = SchemaRef(map.Type.Name + "ListItem") }),
        ("next", NullableText("Send back as `cursor` for the next page; null on the last page.")));

    private static JsonObject Union(IReadOnlyList<TypeMap> types, string suffix, string description) => new()
    {
        ["description"] = description,
        ["oneOf"] = new JsonArray([.. types.Select(t => (JsonNode)SchemaRef(t.Type.Name + suffix))]),
        ["discriminator"] = new JsonObject
        {
            ["propertyName"] = "type",
            ["mapping"] = new JsonObject(types.Select(t => KeyValuePair.Create(t.Type.Name, (JsonNode?)(Ref + t.Type.Name + suffix)))),
        },
    };

    private static JsonObject Object(string description, string[] required, params (string Name, JsonObject Schema)[] properties) => new()
    {
        ["type"] = "object",
        ["description"] = description,
        ["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]),
        ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Schema))),
    };

    private static JsonObject Text(string? description) => Described(new JsonObject { ["type"] = "string" }, description);

    private static JsonObject NullableText(string? description) => Nullable("string", description);

    private static JsonObject Nullable(string type, string? description) => Described(new JsonObject { ["type"] = new JsonArray(type, "null") }, description);

    private static JsonObject NullableDate() => new() { ["type"] = new JsonArray("string", "null"), ["format"] = "date-time" };

    private static JsonObject Described(JsonObject schema, string? description)
    {
        if (description is not null)
        {
            schema["description"] = description;
        }
        return schema;
    }

    private static JsonObject With(this JsonObject schema, string key, string value)
    {
        schema[key] = value;
        return schema;
    }

    private static JsonObject Tag(string name, string description) => new() { ["name"] = name, ["description"] = description };

    private static JsonObject SchemaRef(string name) => new() { ["$ref"] = Ref + name };

    private static JsonObject ParameterRef(string name) => new() { ["$ref"] = "#/components/parameters/" + name };

    private static JsonObject ResponseRef(string name) => new() { ["$ref"] = "#/components/responses/" + name };

    private static JsonObject HeaderRef(string name) => new() { ["$ref"] = "#/components/headers/" + name };
}
