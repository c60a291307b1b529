using System.Text.Json;
using Embassy.Content.Models;

namespace Embassy.MobileApi.Json;

/// <summary>
/// The item JSON the app receives: metadata, then the fields flattened from Orchard's parts. Written
/// straight from the stored JSON with a Utf8JsonWriter (no intermediate tree): this is the API's hot path.
/// </summary>
public static class ItemJson
{
    private const int MaxBagDepth = 8;

    /// <summary>Writes one item; <paramref name="select"/> (?fields=) limits what is written, id and type always are.</summary>
    public static void Write(Utf8JsonWriter writer, ContentItem item, ApiSchema schema, IReadOnlySet<string>? select = null,
        Action<Utf8JsonWriter>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(schema);
        bool Selected(string key) => select is null || select.Contains(key);
        writer.WriteStartObject();
        writer.WriteString("id", item.ContentItemId);
        if (Selected("versionId")) writer.WriteString("versionId", item.ContentItemVersionId);
        writer.WriteString("type", item.ContentType);
        if (Selected("culture")) writer.WriteString("culture", item.Culture);
        if (Selected("localizationSet")) writer.WriteString("localizationSet", item.LocalizationSet);
        if (Selected("title")) writer.WriteString("title", item.DisplayText);
        if (Selected("alias")) writer.WriteString("alias", item.Alias);
        if (Selected("path")) writer.WriteString("path", item.Path);
        if (Selected("publishedUtc"))
        {
            writer.WritePropertyName("publishedUtc");
            if (item.PublishedUtc is { } published) writer.WriteStringValue(published); else writer.WriteNullValue();
        }
        if (Selected("modifiedUtc")) writer.WriteString("modifiedUtc", item.ModifiedUtc);
        writer.WritePropertyName("fields");
        using (var document = JsonDocument.Parse(item.ContentJson))
        {
            WriteFields(writer, document.RootElement, schema.For(item.ContentType), schema, select, depth: 0);
        }
        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter writer, JsonElement content, TypeMap? map, ApiSchema schema, IReadOnlySet<string>? select, int depth)
    {
        writer.WriteStartObject();
        foreach (var field in map?.Fields ?? [])
        {
            if (select is not null && !select.Contains(field.Key))
            {
                continue;
            }
            writer.WritePropertyName(field.Key);
            var source = Property(content, field.Part);
            if (field.Field is not null && source is { } part)
            {
                source = Property(part, field.Field);
            }
            WriteValue(writer, field, source, schema, depth);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, ApiField field, JsonElement? source, ApiSchema schema, int depth)
    {
        if (source is not { ValueKind: JsonValueKind.Object } value)
        {
            if (field.Kind is "items" or "media" or "contentItems") writer.WriteStartArray(); else writer.WriteNullValue();
            if (field.Kind is "items" or "media" or "contentItems") writer.WriteEndArray();
            return;
        }
        switch (field.Kind)
        {
            case "html" when field.Field is null:
                Copy(writer, Property(value, "Html"));
                break;
            case "markdown" when field.Field is null:
                CopyMarkdown(writer, Property(value, "Markdown"));
                break;
            case "text":
                Copy(writer, Property(value, "Text"));
                break;
            case "html":
                Copy(writer, Property(value, "Html"));
                break;
            case "markdown":
                CopyMarkdown(writer, Property(value, "Markdown"));
                break;
            case "number" or "boolean" or "date" or "datetime" or "time":
                Copy(writer, Property(value, "Value"));
                break;
            case "link":
                writer.WriteStartObject();
                writer.WritePropertyName("url");
                Copy(writer, Property(value, "Url"));
                writer.WritePropertyName("text");
                Copy(writer, Property(value, "Text"));
                writer.WriteEndObject();
                break;
            case "media":
                WriteMedia(writer, value);
                break;
            case "contentItems":
                if (Property(value, "ContentItemIds") is { ValueKind: JsonValueKind.Array } ids) ids.WriteTo(writer); else { writer.WriteStartArray(); writer.WriteEndArray(); }
                break;
            case "items":
                writer.WriteStartArray();
                if (depth < MaxBagDepth && Property(value, "ContentItems") is { ValueKind: JsonValueKind.Array } items)
                {
                    foreach (var nested in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                    {
                        WriteNested(writer, nested, schema, depth + 1);
                    }
                }
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>The item JSON as indented text (the CMI's preview of what the app will receive).</summary>
    public static string Preview(ContentItem item, ApiSchema schema)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, item, schema);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A bag's nested item: it has no versions or publication of its own.</summary>
    private static void WriteNested(Utf8JsonWriter writer, JsonElement item, ApiSchema schema, int depth)
    {
        var type = Property(item, "ContentType") is { ValueKind: JsonValueKind.String } t ? t.GetString()! : "";
        writer.WriteStartObject();
        writer.WritePropertyName("id");
        Copy(writer, Property(item, "ContentItemId"));
        writer.WriteString("type", type);
        writer.WritePropertyName("title");
        Copy(writer, Property(item, "DisplayText") ?? (Property(item, "TitlePart") is { ValueKind: JsonValueKind.Object } title ? Property(title, "Title") : null));
        writer.WritePropertyName("fields");
        WriteFields(writer, item, schema.For(type), schema, null, depth);
        writer.WriteEndObject();
    }

    /// <summary>Media as URLs relative to the server, so that either server serves them.</summary>
    private static void WriteMedia(Utf8JsonWriter writer, JsonElement value)
    {
        writer.WriteStartArray();
        if (Property(value, "Paths") is { ValueKind: JsonValueKind.Array } paths)
        {
            var texts = Property(value, "MediaTexts") is { ValueKind: JsonValueKind.Array } t ? t : default;
            var i = 0;
            foreach (var path in paths.EnumerateArray())
            {
                if (path.ValueKind == JsonValueKind.String)
                {
                    var text = path.GetString()!;
                    writer.WriteStartObject();
                    writer.WriteString("path", text);
                    writer.WriteString("url", MediaUrl(text));
                    if (Embassy.Media.MediaOptions.VideoExtensions.Contains(Path.GetExtension(text)))
                    {
                        // Where the app streams it: progressively (ranges) or by HLS once packaged (see /api/v1/videos).
                        writer.WriteString("streamUrl", MediaUrl(text));
                        writer.WriteString("hlsUrl", MediaUrl(Embassy.Video.VideoOptions.HlsPath(text)));
                        writer.WriteString("posterUrl", MediaUrl(Embassy.Video.VideoOptions.PosterPath(text)));
                    }
                    writer.WritePropertyName("text");
                    Copy(writer, texts.ValueKind == JsonValueKind.Array && i < texts.GetArrayLength() ? texts[i] : null);
                    writer.WriteEndObject();
                }
                i++;
            }
        }
        writer.WriteEndArray();
    }

    private static string MediaUrl(string path) => "/media/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    /// <summary>Markdown as written, without raw HTML or unsafe links (the API's promise: ContentSafety.SafeMarkdown).</summary>
    private static void CopyMarkdown(Utf8JsonWriter writer, JsonElement? value)
    {
        if (value is { ValueKind: JsonValueKind.String } text)
        {
            writer.WriteStringValue(Embassy.Content.Services.ContentSafety.SafeMarkdown(text.GetString()!));
        }
        else
        {
            Copy(writer, value);
        }
    }

    private static void Copy(Utf8JsonWriter writer, JsonElement? value)
    {
        if (value is { } v) v.WriteTo(writer); else writer.WriteNullValue();
    }
}
