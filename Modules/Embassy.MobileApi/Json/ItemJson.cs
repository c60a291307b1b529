using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Models;

namespace Embassy.MobileApi.Json;

/// <summary>The item JSON the app receives: metadata, then the fields flattened from Orchard's parts.</summary>
public static class ItemJson
{
    public static JsonObject Build(ContentItem item, ApiSchema schema, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(schema);
        var json = new JsonObject
        {
            ["id"] = item.ContentItemId,
            ["versionId"] = item.ContentItemVersionId,
            ["type"] = item.ContentType,
            ["culture"] = item.Culture,
            ["localizationSet"] = item.LocalizationSet,
            ["title"] = item.DisplayText,
            ["alias"] = item.Alias,
            ["path"] = item.Path,
            ["publishedUtc"] = item.PublishedUtc,
            ["modifiedUtc"] = item.ModifiedUtc,
            ["fields"] = Fields(item.Content, schema.For(item.ContentType), schema, depth),
        };
        return json;
    }

    /// <summary>A bag's nested item: it has no versions or publication of its own.</summary>
    private static JsonObject Nested(JsonObject content, ApiSchema schema, int depth)
    {
        var type = (string?)content["ContentType"] ?? "";
        return new JsonObject
        {
            ["id"] = (string?)content["ContentItemId"],
            ["type"] = type,
            ["title"] = (string?)content["DisplayText"] ?? (string?)content["TitlePart"]?["Title"],
            ["fields"] = Fields(content, schema.For(type), schema, depth),
        };
    }

    private static JsonObject Fields(JsonObject content, TypeMap? map, ApiSchema schema, int depth)
    {
        var fields = new JsonObject();
        if (map is null)
        {
            return fields;
        }
        foreach (var field in map.Fields)
        {
            var part = content[field.Part];
            var source = field.Field is null ? part : part?[field.Field];
            fields[field.Key] = Convert(field, source, schema, depth);
        }
        return fields;
    }

    private static JsonNode? Convert(ApiField field, JsonNode? source, ApiSchema schema, int depth) => field.Kind switch
    {
        _ when source is null => null,
        "html" when field.Field is null => source["Html"]?.DeepClone(),
        "markdown" when field.Field is null => source["Markdown"]?.DeepClone(),
        "text" => source["Text"]?.DeepClone(),
        "html" => source["Html"]?.DeepClone(),
        "markdown" => source["Markdown"]?.DeepClone(),
        "number" or "boolean" or "date" or "datetime" or "time" => source["Value"]?.DeepClone(),
        "link" => new JsonObject { ["url"] = source["Url"]?.DeepClone(), ["text"] = source["Text"]?.DeepClone() },
        "media" => Media(source),
        "contentItems" => source["ContentItemIds"]?.DeepClone() ?? new JsonArray(),
        "items" when depth < 8 => new JsonArray((source["ContentItems"] as JsonArray ?? [])
            .OfType<JsonObject>().Select(JsonNode? (i) => Nested(i, schema, depth + 1)).ToArray()),
        "items" => new JsonArray(),
        _ => source.DeepClone(),
    };

    /// <summary>Media as URLs relative to the server, so that either server serves them.</summary>
    private static JsonArray Media(JsonNode source)
    {
        var paths = source["Paths"] as JsonArray ?? [];
        var texts = source["MediaTexts"] as JsonArray;
        var result = new JsonArray();
        for (var i = 0; i < paths.Count; i++)
        {
            if (paths[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                var path = (string)v!;
                result.Add(new JsonObject
                {
                    ["path"] = path,
                    ["url"] = "/media/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString)),
                    ["text"] = texts is not null && i < texts.Count ? texts[i]?.DeepClone() : null,
                });
            }
        }
        return result;
    }
}
