using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Content.Models;
using static Embassy.Content.Services.ContentColumns;

namespace Embassy.Content.Services;

/// <summary>Reading an item's JSON as the content core does: its HTML values, a stored version as the model, and the
/// typed properties of an imported item (each wrong type a <see cref="ContentValidationException"/> naming it).</summary>
internal static class ContentJson
{
    /// <summary>The objects that hold an HTML value (HtmlBodyPart, HtmlField: a string "Html"), nested items included.</summary>
    internal static void FindHtml(JsonNode? node, List<JsonObject> found, int depth)
    {
        if (depth > 32)
        {
            return;
        }
        if (node is JsonObject o)
        {
            if (o["Html"] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                found.Add(o);
            }
            foreach (var (_, child) in o)
            {
                FindHtml(child, found, depth + 1);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                FindHtml(child, found, depth + 1);
            }
        }
    }

    internal static ContentItem ToModel(ContentItemRecord r) => new()
    {
        ContentItemId = r.ContentItemId,
        ContentItemVersionId = r.ContentItemVersionId,
        ContentType = r.ContentType,
        DisplayText = r.DisplayText,
        Latest = r.Latest,
        Published = r.Published,
        CreatedUtc = r.CreatedUtc,
        ModifiedUtc = r.ModifiedUtc,
        PublishedUtc = r.PublishedUtc,
        Owner = r.Owner,
        Author = r.Author,
        Culture = r.Culture,
        LocalizationSet = r.LocalizationSet,
        Alias = r.Alias,
        Path = r.Path,
        StartUtc = r.StartUtc,
        EndUtc = r.EndUtc,
        SortOrder = r.SortOrder,
        ContentJson = r.Data,
    };

    internal static string? ReadString(JsonObject json, string property) => json[property] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (string?)v,
        var other => throw new ContentValidationException($"{property}: expected a string, got {other.ToJsonString()}"),
    };

    internal static bool? ReadBool(JsonObject json, string property) => json[property] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => (bool)v,
        var other => throw new ContentValidationException($"{property}: expected true or false, got {other.ToJsonString()}"),
    };

    internal static DateTime? ReadDate(JsonObject json, string property)
    {
        var text = ReadString(json, property);
        if (text is null)
        {
            return null;
        }
        return ParseUtc(text) ?? throw new ContentValidationException($"{property}: '{text}' is not an ISO 8601 date");
    }
}
