using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Services;

namespace Embassy.Content.Elements;

/// <summary>A field that holds one value in one property (Text, Value, Html, Markdown), written to the app as it is.</summary>
public class ValueFieldKind(string name, string apiKind, string property, ValueShape shape, string jsonType, string? format = null)
    : ContentElementKind(name, apiKind, new ShapeProperty(property, shape))
{
    /// <summary>The stored property that holds the value ("Text", "Value", "Html", "Markdown").</summary>
    public string StoredProperty { get; } = property;

    public override void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api) =>
        Copy(writer, value is { ValueKind: JsonValueKind.Object } ? Property(value, StoredProperty) : null);

    public override JsonObject ApiSchema() => Nullable(jsonType, format);
}

/// <summary>HtmlField (and HtmlBodyPart): sanitized on every write by the one HTML policy.</summary>
public sealed class HtmlKind(string name, string? apiKey = null) : ValueFieldKind(name, "html", "Html", ValueShape.Text, "string")
{
    public override string? ApiKey => apiKey;

    public override string? Clean(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value["Html"] is JsonValue html && html.TryGetValue<string>(out var text))
        {
            if (ContentSafety.TooDeep(text, html: true) is { } deep)
            {
                return $"The HTML is {deep}.";
            }
            value["Html"] = ContentSafety.SanitizeHtml(text);
        }
        return null;
    }

    public override void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(api);
        if (api.RichTextBlocks && Property(value, "Html") is { ValueKind: JsonValueKind.String } html)
        {
            RichText.WriteHtml(writer, html.GetString()!); // stored sanitized (Clean)
        }
        else
        {
            base.WriteApi(writer, value, api);
        }
    }

    public override JsonObject ApiSchema()
    {
        var schema = base.ApiSchema();
        schema["contentMediaType"] = "text/html";
        return RichTextOr(schema);
    }

    /// <summary>The string as stored, or (with ?richText=blocks) its blocks.</summary>
    internal static JsonObject RichTextOr(JsonObject text) => new()
    {
        ["anyOf"] = new JsonArray(text, new JsonObject { ["$ref"] = "#/components/schemas/" + RichText.SchemaName }),
    };
}

/// <summary>MarkdownField (and MarkdownBodyPart): stored as written, served without raw HTML or unsafe links.</summary>
public sealed class MarkdownKind(string name, string? apiKey = null) : ValueFieldKind(name, "markdown", "Markdown", ValueShape.Text, "string")
{
    public override string? ApiKey => apiKey;

    public override string? Clean(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value["Markdown"] is JsonValue markdown && markdown.TryGetValue<string>(out var text) && ContentSafety.TooDeep(text, html: false) is { } deep
            ? $"The markdown is {deep}."
            : null;
    }

    public override void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(api);
        if (Property(value, "Markdown") is { ValueKind: JsonValueKind.String } text)
        {
            if (api.RichTextBlocks)
            {
                RichText.WriteMarkdown(writer, text.GetString()!);
            }
            else
            {
                writer.WriteStringValue(ContentSafety.SafeMarkdown(text.GetString()!));
            }
        }
        else
        {
            base.WriteApi(writer, value, api);
        }
    }

    public override JsonObject ApiSchema()
    {
        var schema = base.ApiSchema();
        schema["contentMediaType"] = "text/markdown";
        return HtmlKind.RichTextOr(schema);
    }
}

/// <summary>LinkField: a URL whose scheme the app may open, and its text.</summary>
public sealed class LinkFieldKind() : ContentElementKind("LinkField", "link",
    new ShapeProperty("Url", ValueShape.Text), new ShapeProperty("Text", ValueShape.Text), new ShapeProperty("Target", ValueShape.Text))
{
    public override string? Clean(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value["Url"] is JsonValue url && url.TryGetValue<string>(out var text) && !ContentSafety.IsSafeLink(text)
            ? $"'{(text.Length <= 60 ? text : text[..60] + "…")}' is not a link the app may open (allowed: https://…, http://…, mailto:, tel:, or a relative path)"
            : null;
    }

    public override void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not { ValueKind: JsonValueKind.Object })
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WritePropertyName("url");
        Copy(writer, Property(value, "Url"));
        writer.WritePropertyName("text");
        Copy(writer, Property(value, "Text"));
        writer.WriteEndObject();
    }

    public override JsonObject ApiSchema() => new() { ["anyOf"] = new JsonArray(SchemaRef("Link"), new JsonObject { ["type"] = "null" }) };
}

/// <summary>
/// MediaField: media paths, with Orchard's alternative text per file (MediaTexts; each translation of an item has its
/// own) and focal point per file (Anchors: X and Y from 0 to 1, the centre by default), both sent to the app; and, as
/// an explicit choice, pictures marked decorative (Decorative: true per file; the app gets alt ""). A picture with
/// neither keeps its item from being published where the field's settings say so (MediaFieldSettings.RequireMediaText),
/// and is pointed out to the editor otherwise (Section 508).
/// </summary>
public sealed class MediaFieldKind() : ContentElementKind("MediaField", "media",
    new ShapeProperty("Paths", ValueShape.StringArray), new ShapeProperty("MediaTexts", ValueShape.StringArray), new ShapeProperty("Anchors", ValueShape.ObjectArray),
    new ShapeProperty("Decorative", ValueShape.BooleanArray))
{
    /// <summary>The pictures (by path) that have no alternative text and are not marked decorative.</summary>
    public static IReadOnlyList<string> WithoutAltText(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var paths = value["Paths"] as JsonArray ?? [];
        var missing = new List<string>();
        for (var i = 0; i < paths.Count; i++)
        {
            if (paths[i] is JsonValue p && p.TryGetValue<string>(out var path) && IsPicture(path)
                && string.IsNullOrWhiteSpace((value["MediaTexts"] as JsonArray)?.ElementAtOrDefault(i) is JsonValue t && t.TryGetValue<string>(out var text) ? text : null)
                && !((value["Decorative"] as JsonArray)?.ElementAtOrDefault(i) is JsonValue d && d.GetValueKind() == JsonValueKind.True))
            {
                missing.Add(path);
            }
        }
        return missing;
    }

    public override IEnumerable<string> FieldPublishProblems(JsonObject value, JsonObject settings)
    {
        ArgumentNullException.ThrowIfNull(value);
        var allowed = AllowedExtensions(settings);
        var problems = new List<string>();
        foreach (var path in (value["Paths"] as JsonArray ?? []).OfType<JsonValue>().Select(p => p.TryGetValue<string>(out var s) ? s : null).OfType<string>())
        {
            if (allowed.Count > 0 && !allowed.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"Paths: '{path}' is not a kind of file this field takes ({string.Join(" ", allowed)})");
            }
        }
        if (RequiresText(settings))
        {
            problems.AddRange(WithoutAltText(value).Select(p => $"MediaTexts: '{p}' needs an alternative text (or to be marked decorative) before the item is published"));
        }
        return problems;
    }

    /// <summary>The extensions a media field takes (Orchard's MediaFieldSettings.AllowedExtensions, ".jpg" …); empty: any.</summary>
    public static IReadOnlyList<string> AllowedExtensions(JsonObject settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return (settings["MediaFieldSettings"]?["AllowedExtensions"] as JsonArray ?? []).OfType<JsonValue>()
            .Select(e => e.TryGetValue<string>(out var s) ? s.Trim().ToLowerInvariant() : "").Where(e => e.Length > 1)
            .Select(e => e.StartsWith('.') ? e : "." + e).ToList();
    }

    public override IEnumerable<string> PublishNotices(JsonObject value, JsonObject settings) =>
        RequiresText(settings) ? [] : WithoutAltText(value).Select(p => $"'{p}' has no alternative text: people using a screen reader will not know what it shows");

    private static bool RequiresText(JsonObject settings) =>
        settings["MediaFieldSettings"]?["RequireMediaText"] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static bool IsPicture(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".webp" or ".gif" or ".svg";

    protected override void CheckMore(JsonObject value, string path, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(errors);
        if (value["Anchors"] is not JsonArray anchors)
        {
            return;
        }
        for (var i = 0; i < anchors.Count; i++)
        {
            foreach (var axis in new[] { "X", "Y" })
            {
                var node = anchors[i]?[axis];
                if (node is not null && (node.GetValueKind() != JsonValueKind.Number || node.GetValue<double>() is < 0 or > 1))
                {
                    errors.Add($"{path}.Anchors[{i}].{axis}: expected a number from 0 to 1, got {Describe(node)}");
                }
            }
        }
    }

    public override void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(api);
        writer.WriteStartArray();
        if (Property(value, "Paths") is { ValueKind: JsonValueKind.Array } paths)
        {
            var texts = Property(value, "MediaTexts");
            var anchors = Property(value, "Anchors");
            var decorative = Property(value, "Decorative");
            var i = 0;
            foreach (var path in paths.EnumerateArray())
            {
                if (path.ValueKind == JsonValueKind.String)
                {
                    var text = path.GetString()!;
                    var anchor = At(anchors, i);
                    var (x, y) = (Axis(anchor, "X"), Axis(anchor, "Y"));
                    writer.WriteStartObject();
                    writer.WriteString("path", text);
                    api.WriteMediaUrls(writer, text, x, y);
                    // "alt" is what an app's image view takes: the text, "" for a picture marked decorative, null when
                    // none was written; "text" is Orchard's MediaTexts entry as stored (kept for older clients).
                    var stored = At(texts, i) is { ValueKind: JsonValueKind.String } a ? a : (JsonElement?)null;
                    writer.WritePropertyName("alt");
                    if (At(decorative, i) is { ValueKind: JsonValueKind.True }) writer.WriteStringValue("");
                    else if (stored is { } s && !string.IsNullOrWhiteSpace(s.GetString())) s.WriteTo(writer);
                    else writer.WriteNullValue();
                    writer.WritePropertyName("text");
                    Copy(writer, stored);
                    writer.WriteStartObject("focalPoint");
                    writer.WriteNumber("x", x);
                    writer.WriteNumber("y", y);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                i++;
            }
        }
        writer.WriteEndArray();
    }

    public override JsonObject ApiSchema() => new() { ["type"] = "array", ["items"] = SchemaRef("MediaFile") };

    private static JsonElement? At(JsonElement? array, int index) =>
        array is { ValueKind: JsonValueKind.Array } a && index < a.GetArrayLength() ? a[index] : null;

    private static double Axis(JsonElement? anchor, string axis) =>
        Property(anchor, axis) is { ValueKind: JsonValueKind.Number } n && n.GetDouble() is >= 0 and <= 1 ? n.GetDouble() : 0.5;
}

/// <summary>ContentPickerField: the ids of the items picked.</summary>
public sealed class ContentPickerFieldKind() : ContentElementKind("ContentPickerField", "contentItems", new ShapeProperty("ContentItemIds", ValueShape.StringArray))
{
    public override void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Property(value, "ContentItemIds") is { ValueKind: JsonValueKind.Array } ids)
        {
            ids.WriteTo(writer);
        }
        else
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }
    }

    public override JsonObject ApiSchema() =>
        new() { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["description"] = "A content item id." } };
}
