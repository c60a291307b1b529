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
        Action<Utf8JsonWriter>? extra = null, bool richTextBlocks = false)
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
            WriteFields(writer, document.RootElement, schema.For(item.ContentType), schema, select, depth: 0, richTextBlocks);
        }
        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter writer, JsonElement content, TypeMap? map, ApiSchema schema, IReadOnlySet<string>? select, int depth,
        bool richTextBlocks)
    {
        var api = new NestedWriter(schema, depth, richTextBlocks);
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
            // The field's kind writes it (ContentElements); a part or field no kind claims goes out as stored.
            if (field.Element is { } element)
            {
                element.WriteApi(writer, source, api);
            }
            else if (source is { ValueKind: JsonValueKind.Object } stored)
            {
                stored.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>What the kinds get from the API: a bag's items written as nested items (to a bounded depth), and the
    /// URLs of a media file relative to the server, so that either server serves them.</summary>
    private sealed class NestedWriter(ApiSchema schema, int depth, bool richTextBlocks) : Embassy.Content.Elements.IApiWriter
    {
        public bool RichTextBlocks => richTextBlocks;

        public void WriteItems(Utf8JsonWriter writer, JsonElement items)
        {
            writer.WriteStartArray();
            if (depth < MaxBagDepth)
            {
                foreach (var nested in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                {
                    WriteNested(writer, nested, schema, depth + 1, richTextBlocks);
                }
            }
            writer.WriteEndArray();
        }

        public void WriteMediaUrls(Utf8JsonWriter writer, string path, double focusX, double focusY)
        {
            writer.WriteString("url", MediaUrl(path));
            if (Embassy.Media.Images.ImageCommand.Transformable.Contains(Path.GetExtension(path)))
            {
                // An image: its size as shown, and a ready URL per media profile (cropped around its focal point), so
                // the app never builds a query string.
                var size = schema.Images.Sizes.TryGetValue(path, out var known) ? known : ((int, int)?)null;
                writer.WritePropertyName("width");
                if (size is { } w) writer.WriteNumberValue(w.Item1); else writer.WriteNullValue();
                writer.WritePropertyName("height");
                if (size is { } h) writer.WriteNumberValue(h.Item2); else writer.WriteNullValue();
                writer.WriteStartObject("profiles");
                var focus = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{focusX:0.##},{focusY:0.##}");
                foreach (var profile in schema.Images.Profiles)
                {
                    writer.WriteString(profile, $"{MediaUrl(path)}?profile={Uri.EscapeDataString(profile)}&rxy={focus}");
                }
                writer.WriteEndObject();
            }
            if (Embassy.Media.MediaOptions.VideoExtensions.Contains(Path.GetExtension(path)))
            {
                // Where the app streams it: progressively (ranges) or by HLS once packaged (see /api/v1/videos).
                writer.WriteString("streamUrl", MediaUrl(path));
                writer.WriteString("hlsUrl", MediaUrl(Embassy.Video.VideoOptions.HlsPath(path)));
                writer.WriteString("posterUrl", MediaUrl(Embassy.Video.VideoOptions.PosterPath(path)));
            }
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
    private static void WriteNested(Utf8JsonWriter writer, JsonElement item, ApiSchema schema, int depth, bool richTextBlocks)
    {
        var type = Property(item, "ContentType") is { ValueKind: JsonValueKind.String } t ? t.GetString()! : "";
        writer.WriteStartObject();
        writer.WritePropertyName("id");
        Copy(writer, Property(item, "ContentItemId"));
        writer.WriteString("type", type);
        writer.WritePropertyName("title");
        Copy(writer, Property(item, "DisplayText") ?? (Property(item, "TitlePart") is { ValueKind: JsonValueKind.Object } title ? Property(title, "Title") : null));
        writer.WritePropertyName("fields");
        WriteFields(writer, item, schema.For(type), schema, null, depth, richTextBlocks);
        writer.WriteEndObject();
    }

    private static string MediaUrl(string path) => Embassy.Media.Services.MediaPath.Url(path);

    private static JsonElement? Property(JsonElement element, string name) => Embassy.Content.Elements.ContentElementKind.Property(element, name);

    private static void Copy(Utf8JsonWriter writer, JsonElement? value) => Embassy.Content.Elements.ContentElementKind.Copy(writer, value);
}
