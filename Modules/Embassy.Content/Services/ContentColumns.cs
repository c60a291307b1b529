using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Content.Models;

namespace Embassy.Content.Services;

/// <summary>The columns queries use, derived from an item's parts when a version is stored (ContentManager, its import):
/// schedules, sort keys, culture, translation set, alias, path, display text — each part kind says which.</summary>
internal static class ContentColumns
{
    /// <summary>Stores the parts and derives the columns that queries use from them.</summary>
    internal static void ApplyContent(ContentItemRecord record, JsonObject content, string? displayText, ContentTypeDefinition type,
        Embassy.Content.Elements.ContentElements elements)
    {
        var api = type.Settings["ContentApiSettings"] as JsonObject;
        // A type that sorts by a field stores a sentinel when the field is empty, so that those items come
        // last and queries can sort on the bare, indexed column.
        var startField = (string?)api?["StartField"];
        var orderField = (string?)api?["OrderField"];
        record.StartUtc = startField is null ? null : FieldDate(content, startField) ?? PublishedContent.NoDate;
        record.EndUtc = FieldDate(content, (string?)api?["EndField"]);
        record.SortOrder = orderField is null ? null : FieldNumber(content, orderField) ?? PublishedContent.NoNumber;
        record.Data = content.ToJsonString();
        // The columns the type's parts contribute (title, culture, translation set, alias, path, schedules): each part
        // kind says which (ContentElements).
        // A part the type does not name but the item carries under its own name (as Orchard items may: a
        // LocalizationPart on a type without it) counts too, as it always did.
        var columns = new Embassy.Content.Elements.IndexColumns();
        var parts = type.Parts.Select(p => (p.Name, p.PartName)).ToList();
        parts.AddRange(content.Select(p => p.Key).Where(k => type.Parts.All(p => p.Name != k)).Select(k => (k, k)));
        foreach (var (name, partName) in parts)
        {
            if (content[name] is JsonObject value && elements.Part(partName) is { } kind)
            {
                kind.Index(value, columns);
            }
        }
        record.ScheduledPublishUtc = columns.ScheduledPublishUtc;
        record.ScheduledUnpublishUtc = columns.ScheduledUnpublishUtc;
        record.DisplayText = Truncate(displayText ?? columns.DisplayText ?? record.DisplayText, 1024);
        record.Culture = columns.Culture;
        record.LocalizationSet = columns.LocalizationSet;
        record.Alias = TruncateOrNull(columns.Alias, 512);
        record.Path = TruncateOrNull(columns.Path, 512);
    }

    /// <summary>The value of a field named "Part.Field" (DateField, DateTimeField: { "Value": "…" }).</summary>
    internal static DateTime? FieldDate(JsonObject content, string? field) => ParseUtc(FieldValue(content, field));

    /// <summary>An ISO 8601 string as UTC (no zone means UTC); null for anything else.</summary>
    internal static DateTime? ParseUtc(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? ParseUtc(text) : null;

    internal static DateTime? ParseUtc(string text) => Embassy.Content.Elements.IndexColumns.ParseUtc(text);

    internal static double? FieldNumber(JsonObject content, string? field) =>
        FieldValue(content, field) is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    internal static JsonNode? FieldValue(JsonObject content, string? field)
    {
        var dot = field?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot <= 0 ? null : content[field![..dot]]?[field[(dot + 1)..]]?["Value"];
    }

    internal static string DerivedDisplayText(JsonObject content, string current) =>
        (string?)(content["TitlePart"]?["Title"] as JsonValue) ?? current;

    internal static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    internal static string? TruncateOrNull(string? value, int length) => value is null ? null : Truncate(value, length);
}
