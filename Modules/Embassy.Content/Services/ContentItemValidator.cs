using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Models;

namespace Embassy.Content.Services;

/// <summary>The definitions in force, loaded once for a batch of validations.</summary>
public sealed record ContentDefinitionSnapshot(
    IReadOnlyDictionary<string, ContentTypeDefinition> Types,
    IReadOnlyDictionary<string, ContentPartDefinition> Parts);

/// <summary>
/// Checks the shape of the parts and fields that the content core understands. Parts and fields it
/// does not know are stored as they came; the ones it knows must have the shape Orchard gives them.
/// </summary>
public static class ContentItemValidator
{
    private enum Kind { String, Number, Boolean, DateTime, Time, StringArray, Object, ItemArray }

    private static readonly Dictionary<string, (string Property, Kind Kind)[]> FieldShapes = new(StringComparer.Ordinal)
    {
        ["TextField"] = [("Text", Kind.String)],
        ["HtmlField"] = [("Html", Kind.String)],
        ["MarkdownField"] = [("Markdown", Kind.String)],
        ["NumericField"] = [("Value", Kind.Number)],
        ["BooleanField"] = [("Value", Kind.Boolean)],
        ["DateField"] = [("Value", Kind.DateTime)],
        ["DateTimeField"] = [("Value", Kind.DateTime)],
        ["TimeField"] = [("Value", Kind.Time)],
        ["LinkField"] = [("Url", Kind.String), ("Text", Kind.String), ("Target", Kind.String)],
        ["MediaField"] = [("Paths", Kind.StringArray), ("MediaTexts", Kind.StringArray)],
        ["ContentPickerField"] = [("ContentItemIds", Kind.StringArray)],
    };

    private static readonly Dictionary<string, (string Property, Kind Kind)[]> PartShapes = new(StringComparer.Ordinal)
    {
        ["TitlePart"] = [("Title", Kind.String)],
        ["AliasPart"] = [("Alias", Kind.String)],
        ["AutoroutePart"] = [("Path", Kind.String), ("SetHomepage", Kind.Boolean)],
        ["HtmlBodyPart"] = [("Html", Kind.String)],
        ["MarkdownBodyPart"] = [("Markdown", Kind.String)],
        ["LocalizationPart"] = [("Culture", Kind.String), ("LocalizationSet", Kind.String)],
        ["PublishLaterPart"] = [("ScheduledPublishUtc", Kind.DateTime)],
        ["ArchiveLaterPart"] = [("ScheduledArchiveUtc", Kind.DateTime)],
        ["BagPart"] = [("ContentItems", Kind.ItemArray)],
    };

    public static IReadOnlySet<string> SupportedFieldTypes { get; } = FieldShapes.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Returns every problem found, each prefixed with where it is; empty when the item is valid.</summary>
    public static IReadOnlyList<string> Validate(string contentType, JsonObject content, ContentDefinitionSnapshot definitions)
    {
        var errors = new List<string>();
        ValidateItem(contentType, content, definitions, "", errors, depth: 0);
        return errors;
    }

    private static void ValidateItem(string contentType, JsonObject content, ContentDefinitionSnapshot definitions,
        string path, List<string> errors, int depth)
    {
        if (!definitions.Types.TryGetValue(contentType, out var type))
        {
            errors.Add($"{path}content type '{contentType}' is not defined");
            return;
        }
        foreach (var typePart in type.Parts)
        {
            var partPath = $"{path}{typePart.Name}";
            var node = content[typePart.Name];
            if (node is null)
            {
                continue;
            }
            if (node is not JsonObject part)
            {
                errors.Add($"{partPath}: expected an object for part {typePart.PartName}, got {Describe(node)}");
                continue;
            }
            if (PartShapes.TryGetValue(typePart.PartName, out var shape))
            {
                CheckShape(part, shape, partPath, errors, definitions, depth);
            }
            if (definitions.Parts.TryGetValue(typePart.PartName, out var partDefinition))
            {
                foreach (var field in partDefinition.Fields)
                {
                    var fieldNode = part[field.Name];
                    if (fieldNode is null || !FieldShapes.TryGetValue(field.FieldName, out var fieldShape))
                    {
                        continue;
                    }
                    if (fieldNode is not JsonObject fieldObject)
                    {
                        errors.Add($"{partPath}.{field.Name}: expected an object for {field.FieldName}, got {Describe(fieldNode)}");
                        continue;
                    }
                    CheckShape(fieldObject, fieldShape, $"{partPath}.{field.Name}", errors, definitions, depth);
                }
            }
        }
    }

    private static void CheckShape(JsonObject value, (string Property, Kind Kind)[] shape, string path, List<string> errors,
        ContentDefinitionSnapshot definitions, int depth)
    {
        foreach (var (property, kind) in shape)
        {
            var node = value[property];
            if (node is null)
            {
                continue;
            }
            var where = $"{path}.{property}";
            switch (kind)
            {
                case Kind.String when !IsString(node):
                    errors.Add($"{where}: expected a string, got {Describe(node)}");
                    break;
                case Kind.Number when node.GetValueKind() != JsonValueKind.Number:
                    errors.Add($"{where}: expected a number, got {Describe(node)}");
                    break;
                case Kind.Boolean when node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                    errors.Add($"{where}: expected true or false, got {Describe(node)}");
                    break;
                case Kind.DateTime when !IsString(node) || !DateTime.TryParse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _):
                    errors.Add($"{where}: expected an ISO 8601 date, got {Describe(node)}");
                    break;
                case Kind.Time when !IsString(node) || !TimeSpan.TryParse((string)node!, CultureInfo.InvariantCulture, out _):
                    errors.Add($"{where}: expected a time (hh:mm:ss), got {Describe(node)}");
                    break;
                case Kind.StringArray when node is not JsonArray array || array.Any(e => e is not null && !IsString(e)):
                    errors.Add($"{where}: expected an array of strings, got {Describe(node)}");
                    break;
                case Kind.ItemArray:
                    CheckItems(node, where, errors, definitions, depth);
                    break;
            }
        }
    }

    private static void CheckItems(JsonNode node, string where, List<string> errors, ContentDefinitionSnapshot definitions, int depth)
    {
        if (node is not JsonArray items)
        {
            errors.Add($"{where}: expected an array of content items, got {Describe(node)}");
            return;
        }
        if (depth >= 16)
        {
            errors.Add($"{where}: content items are nested more than 16 levels deep");
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item || !IsString(item["ContentType"] ?? JsonValue.Create(0)))
            {
                errors.Add($"{where}[{i}]: expected a content item with a ContentType");
                continue;
            }
            ValidateItem((string)item["ContentType"]!, item, definitions, $"{where}[{i}].", errors, depth + 1);
        }
    }

    private static bool IsString(JsonNode node) => node.GetValueKind() == JsonValueKind.String;

    private static string Describe(JsonNode? node) => node?.GetValueKind() switch
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
