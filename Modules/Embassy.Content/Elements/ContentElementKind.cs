using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Embassy.Content.Elements;

/// <summary>The JSON shape of one property of a stored part or field (as Orchard writes it).</summary>
public enum ValueShape { Text, Number, Boolean, DateTime, Time, StringArray, ItemArray, ObjectArray, BooleanArray }

public sealed record ShapeProperty(string Name, ValueShape Shape);

/// <summary>
/// What the content core knows of one kind of Orchard part or field, in one place: its stored shape (checked on every
/// write), how it is cleaned on every write (sanitizing, link schemes), and how the app receives it (the API's kind, the
/// JSON written for it, and that JSON's schema for the OpenAPI document). The CMI's editor for it is registered by the
/// CMI (Embassy.Admin's IElementEditor). Adding a kind is one class and one line in <see cref="ContentElements.Default"/>.
/// </summary>
public abstract class ContentElementKind(string name, string? apiKind, params ShapeProperty[] shape)
{
    /// <summary>Orchard's name of the part or field: "TextField", "HtmlBodyPart".</summary>
    public string Name { get; } = name;

    /// <summary>The app's name of its kind ("text", "html", …; /api/v1/types), or null when it is not one of the item's
    /// fields (a part whose content becomes item metadata: title, culture, alias, path, schedules).</summary>
    public string? ApiKind { get; } = apiKind;

    public IReadOnlyList<ShapeProperty> Shape { get; } = shape;

    /// <summary>For a part that is one of the item's fields (HtmlBodyPart, BagPart): its key in the item's <c>fields</c>,
    /// or null to use the part's camel-cased name.</summary>
    public virtual string? ApiKey => null;

    /// <summary>Cleans a stored value in place on every write (forms, recipes, bags, restore); returns a problem that
    /// keeps the write from being stored, or null.</summary>
    public virtual string? Clean(JsonObject value) => null;

    /// <summary>Writes the value the app receives; <paramref name="value"/> is the stored part or field, or null.</summary>
    public virtual void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { ValueKind: JsonValueKind.Object } stored)
        {
            stored.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>The JSON Schema (OpenAPI 3.1) of what <see cref="WriteApi"/> writes.</summary>
    public virtual JsonObject ApiSchema() => new() { ["type"] = new JsonArray("object", "null"), ["additionalProperties"] = new JsonObject() };

    /// <summary>Why an item with this part may not be published as it is (e.g. a title part without a title), or null.
    /// <paramref name="columns"/> are the item's index columns.</summary>
    public virtual string? PublishProblem(IndexColumns columns) => null;

    /// <summary>A field's objections to publishing its item as it is, given the field's settings in its part (e.g. a
    /// picture without alternative text where the settings require one); each says what to do.</summary>
    public virtual IEnumerable<string> FieldPublishProblems(JsonObject value, JsonObject settings) => [];

    /// <summary>What an editor should be told when publishing (not refused: e.g. a picture without alternative text).</summary>
    public virtual IEnumerable<string> PublishNotices(JsonObject value, JsonObject settings) => [];

    /// <summary>Sets the list-index columns this part contributes (a title, a culture, an alias …) from its stored value.</summary>
    public virtual void Index(JsonObject value, IndexColumns columns)
    {
    }

    /// <summary>Checks a stored value's properties against <see cref="Shape"/>; nested items are handed to <paramref name="items"/>.</summary>
    public void CheckShape(JsonObject value, string path, List<string> errors, Action<JsonNode, string> items)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(items);
        foreach (var (property, shape) in Shape)
        {
            var node = value[property];
            if (node is null)
            {
                continue;
            }
            var where = $"{path}.{property}";
            switch (shape)
            {
                case ValueShape.Text when !IsString(node):
                    errors.Add($"{where}: expected a string, got {Describe(node)}");
                    break;
                case ValueShape.Number when node.GetValueKind() != JsonValueKind.Number:
                    errors.Add($"{where}: expected a number, got {Describe(node)}");
                    break;
                case ValueShape.Boolean when node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                    errors.Add($"{where}: expected true or false, got {Describe(node)}");
                    break;
                case ValueShape.DateTime when !IsString(node) || !DateTime.TryParse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _):
                    errors.Add($"{where}: expected an ISO 8601 date, got {Describe(node)}");
                    break;
                case ValueShape.Time when !IsString(node) || !TimeSpan.TryParse((string)node!, CultureInfo.InvariantCulture, out _):
                    errors.Add($"{where}: expected a time (hh:mm:ss), got {Describe(node)}");
                    break;
                case ValueShape.StringArray when node is not JsonArray array || array.Any(e => e is not null && !IsString(e)):
                    errors.Add($"{where}: expected an array of strings, got {Describe(node)}");
                    break;
                case ValueShape.BooleanArray when node is not JsonArray flags || flags.Any(e => e is not null && e.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)):
                    errors.Add($"{where}: expected an array of true or false, got {Describe(node)}");
                    break;
                case ValueShape.ObjectArray when node is not JsonArray objects || objects.Any(e => e is not null and not JsonObject):
                    errors.Add($"{where}: expected an array of objects, got {Describe(node)}");
                    break;
                case ValueShape.ItemArray:
                    items(node, where);
                    break;
            }
        }
        CheckMore(value, path, errors);
    }

    /// <summary>Checks beyond the shape (ranges, lengths that must agree), for kinds that need them.</summary>
    protected virtual void CheckMore(JsonObject value, string path, List<string> errors)
    {
    }

    /// <summary>A property of a stored object (null when it is not an object or has none); the API's JSON writer uses it too.</summary>
    public static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;

    /// <summary>Writes a stored value as it is, or null.</summary>
    public static void Copy(Utf8JsonWriter writer, JsonElement? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v) v.WriteTo(writer); else writer.WriteNullValue();
    }

    protected static JsonObject Nullable(string type, string? format = null)
    {
        var schema = new JsonObject { ["type"] = new JsonArray(type, "null") };
        if (format is not null)
        {
            schema["format"] = format;
        }
        return schema;
    }

    protected static JsonObject SchemaRef(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    internal static bool IsString(JsonNode node) => node.GetValueKind() == JsonValueKind.String;

    internal static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate((string)node!)}\"",
        JsonValueKind.True or JsonValueKind.False => node.ToJsonString(),
        _ => $"the number {node.ToJsonString()}",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

/// <summary>The columns of an item's version that queries use, as its parts contribute them (ContentElementKind.Index).</summary>
public sealed class IndexColumns
{
    public string? DisplayText { get; set; }
    public string? Culture { get; set; }
    public string? LocalizationSet { get; set; }
    public string? Alias { get; set; }
    public string? Path { get; set; }
    public DateTime? ScheduledPublishUtc { get; set; }
    public DateTime? ScheduledUnpublishUtc { get; set; }

    /// <summary>A stored string property, or null.</summary>
    public static string? Text(JsonObject value, string property) => value?[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A stored ISO 8601 date as UTC (no zone means UTC), or null.</summary>
    public static DateTime? Utc(JsonObject value, string property) => Text(value, property) is { } text ? ParseUtc(text) : null;

    /// <summary>An ISO 8601 string as UTC (no zone means UTC); null for anything else.</summary>
    public static DateTime? ParseUtc(string text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? DateTime.SpecifyKind(date, DateTimeKind.Utc)
            : null;
}

/// <summary>What the API gives an element's writer: nested items (bags) and the URLs of a media file.</summary>
public interface IApiWriter
{
    /// <summary>Writes a bag's items (an array of stored content items) as the app's nested items.</summary>
    void WriteItems(Utf8JsonWriter writer, JsonElement items);

    /// <summary>
    /// Writes, inside an open object, what the app needs to show a media file: its url; for an image its size and a URL
    /// per media profile, cropped around the focal point (<paramref name="focusX"/>, <paramref name="focusY"/>); for a
    /// video its stream, HLS and poster URLs.
    /// </summary>
    void WriteMediaUrls(Utf8JsonWriter writer, string path, double focusX, double focusY);

    /// <summary>Rich text (HTML and markdown fields) as blocks (<see cref="RichText"/>) instead of a string: the request's
    /// <c>?richText=blocks</c>.</summary>
    bool RichTextBlocks => false;
}
