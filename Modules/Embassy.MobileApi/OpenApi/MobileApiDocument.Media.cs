using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Core;
using Embassy.MobileApi.Json;

namespace Embassy.MobileApi.OpenApi;

/// <summary>The document's media routes: Orchard's content API and /media files (ranges, validators, image transforms).</summary>
public static partial class MobileApiDocument
{
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
}
