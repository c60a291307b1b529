using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Core;
using Embassy.MobileApi.Json;

namespace Embassy.MobileApi.OpenApi;

/// <summary>The document's item schemas (per content type, from the definitions) and its schema-building helpers; the other responses' schemas come from their types (Contract.ResponseContract).</summary>
public static partial class MobileApiDocument
{

    /// <summary>The schemas of what items hold (their fields are from the content definitions, see FieldsSchema); the
    /// other responses' schemas come from their types (Contract.ResponseContract).</summary>
    private static JsonObject ItemSchemas() => new()
    {
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

    /// <summary>A type's list: the list page's schema (Contract.ListPage) with that type's items.</summary>
    private static JsonObject ListSchema(JsonObject listPage, TypeMap map)
    {
        var list = listPage.DeepClone().AsObject();
        list["description"] = ((string)list["description"]!).Replace("{displayName}", map.Type.DisplayName, StringComparison.Ordinal);
        list["properties"]!["items"]!["items"]!["$ref"] = Ref + map.Type.Name + "ListItem";
        return list;
    }

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

    private static JsonObject Tag(string name, string description) => new() { ["name"] = name, ["description"] = description };

    private static JsonObject SchemaRef(string name) => new() { ["$ref"] = Ref + name };

    private static JsonObject ParameterRef(string name) => new() { ["$ref"] = "#/components/parameters/" + name };

    private static JsonObject ResponseRef(string name) => new() { ["$ref"] = "#/components/responses/" + name };

    private static JsonObject HeaderRef(string name) => new() { ["$ref"] = "#/components/headers/" + name };
}
