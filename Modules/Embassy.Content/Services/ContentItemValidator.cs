using System.Text.Json.Nodes;
using Embassy.Content.Elements;
using Embassy.Content.Models;

namespace Embassy.Content.Services;

/// <summary>The definitions in force, loaded once for a batch of validations, and the part and field kinds understood.</summary>
public sealed record ContentDefinitionSnapshot(
    IReadOnlyDictionary<string, ContentTypeDefinition> Types,
    IReadOnlyDictionary<string, ContentPartDefinition> Parts)
{
    public ContentElements Elements { get; init; } = ContentElements.Default;
}

/// <summary>
/// Every write of an item passes here: the parts and fields the core understands (<see cref="ContentElements"/>) must
/// have the shape Orchard gives them, and are then cleaned (HTML sanitized, link schemes checked) by their kind — in
/// bags too. Parts and fields it does not know are stored as they came.
/// </summary>
public static class ContentItemValidator
{
    private const int MaxDepth = 16;

    /// <summary>Returns every problem found, each prefixed with where it is; empty when the item is valid.</summary>
    public static IReadOnlyList<string> Validate(string contentType, JsonObject content, ContentDefinitionSnapshot definitions)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(definitions);
        var errors = new List<string>();
        Walk(contentType, content, definitions, "", errors, depth: 0, clean: false);
        return errors;
    }

    /// <summary>Cleans the item in place (a valid one: call <see cref="Validate"/> first); returns the problems that keep
    /// it from being stored (a link the app may not open).</summary>
    public static IReadOnlyList<string> Clean(string contentType, JsonObject content, ContentDefinitionSnapshot definitions)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(definitions);
        var errors = new List<string>();
        Walk(contentType, content, definitions, "", errors, depth: 0, clean: true);
        return errors;
    }

    /// <summary>What the item's fields object to its being published (<see cref="ContentElementKind.FieldPublishProblems"/>),
    /// or, with <paramref name="notices"/>, what an editor should be told when publishing it.</summary>
    public static IReadOnlyList<string> PublishProblems(string contentType, JsonObject content, ContentDefinitionSnapshot definitions, bool notices = false)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(definitions);
        var found = new List<string>();
        if (!definitions.Types.TryGetValue(contentType, out var type))
        {
            return found;
        }
        foreach (var typePart in type.Parts)
        {
            if (content[typePart.Name] is not JsonObject part || !definitions.Parts.TryGetValue(typePart.PartName, out var partDefinition))
            {
                continue;
            }
            foreach (var field in partDefinition.Fields)
            {
                if (part[field.Name] is JsonObject value && definitions.Elements.Field(field.FieldName) is { } kind)
                {
                    found.AddRange((notices ? kind.PublishNotices(value, field.Settings) : kind.FieldPublishProblems(value, field.Settings))
                        .Select(p => notices ? p : $"{typePart.Name}.{field.Name}.{p}"));
                }
            }
        }
        return found;
    }

    private static void Walk(string contentType, JsonObject content, ContentDefinitionSnapshot definitions, string path, List<string> errors, int depth, bool clean)
    {
        if (!definitions.Types.TryGetValue(contentType, out var type))
        {
            if (!clean)
            {
                errors.Add($"{path}content type '{contentType}' is not defined");
            }
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
                if (!clean)
                {
                    errors.Add($"{partPath}: expected an object for part {typePart.PartName}, got {ContentElementKind.Describe(node)}");
                }
                continue;
            }
            if (definitions.Elements.Part(typePart.PartName) is { } partKind)
            {
                Visit(partKind, part, partPath, definitions, errors, depth, clean);
            }
            if (!definitions.Parts.TryGetValue(typePart.PartName, out var partDefinition))
            {
                continue;
            }
            foreach (var field in partDefinition.Fields)
            {
                var fieldNode = part[field.Name];
                if (fieldNode is null || definitions.Elements.Field(field.FieldName) is not { } fieldKind)
                {
                    continue;
                }
                if (fieldNode is not JsonObject fieldObject)
                {
                    if (!clean)
                    {
                        errors.Add($"{partPath}.{field.Name}: expected an object for {field.FieldName}, got {ContentElementKind.Describe(fieldNode)}");
                    }
                    continue;
                }
                Visit(fieldKind, fieldObject, $"{partPath}.{field.Name}", definitions, errors, depth, clean);
            }
        }
    }

    private static void Visit(ContentElementKind kind, JsonObject value, string path, ContentDefinitionSnapshot definitions, List<string> errors, int depth, bool clean)
    {
        if (clean)
        {
            if (kind.Clean(value) is { } problem)
            {
                errors.Add($"{path}.{(kind.Shape.Count > 0 ? kind.Shape[0].Name : "")}: {problem}");
            }
            foreach (var property in kind.Shape.Where(p => p.Shape == ValueShape.ItemArray))
            {
                if (value[property.Name] is JsonArray items && depth < MaxDepth)
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        if (items[i] is JsonObject item && item["ContentType"] is JsonValue t && t.TryGetValue<string>(out var nested))
                        {
                            Walk(nested, item, definitions, $"{path}.{property.Name}[{i}].", errors, depth + 1, clean);
                        }
                    }
                }
            }
            return;
        }
        kind.CheckShape(value, path, errors, (node, where) => CheckItems(node, where, errors, definitions, depth));
    }

    private static void CheckItems(JsonNode node, string where, List<string> errors, ContentDefinitionSnapshot definitions, int depth)
    {
        if (node is not JsonArray items)
        {
            errors.Add($"{where}: expected an array of content items, got {ContentElementKind.Describe(node)}");
            return;
        }
        if (depth >= MaxDepth)
        {
            errors.Add($"{where}: content items are nested more than {MaxDepth} levels deep");
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item || !ContentElementKind.IsString(item["ContentType"] ?? JsonValue.Create(0)))
            {
                errors.Add($"{where}[{i}]: expected a content item with a ContentType");
                continue;
            }
            Walk((string)item["ContentType"]!, item, definitions, $"{where}[{i}].", errors, depth + 1, clean: false);
        }
    }
}
