using System.Text.Json.Nodes;
using Embassy.Content.Elements;
using Embassy.Content.Models;

namespace Embassy.MobileApi.Json;

/// <summary>Where a value of the app's item JSON comes from, and what kind of value it is (<see cref="Element"/> writes it;
/// null: passed on as stored).</summary>
public sealed record ApiField(string Key, string Kind, string Part, string? Field, string DisplayName, JsonObject Settings, ContentElementKind? Element);

/// <summary>
/// How one content type is flattened for the app: Orchard's parts and fields become one "fields"
/// object with camelCase keys. The same map drives the item JSON and /api/v1/types, so the schema
/// the app renders always matches the items it receives.
/// </summary>
public sealed class TypeMap
{
    private TypeMap(ContentTypeDefinition type, IReadOnlyList<ApiField> fields)
    {
        Type = type;
        Fields = fields;
    }

    public ContentTypeDefinition Type { get; }

    public IReadOnlyList<ApiField> Fields { get; }

    /// <summary>The type's natural order for lists: "start" (events), "order" (numbered), or "published".</summary>
    public string NaturalOrder => Type.Settings["ContentApiSettings"] switch
    {
        JsonObject s when s["OrderField"] is not null => "order",
        JsonObject s when s["StartField"] is not null => "start",
        _ => "published",
    };

    public bool HasEnd => Type.Settings["ContentApiSettings"]?["EndField"] is not null;

    public bool Listable => (bool?)(Type.Settings["ContentTypeSettings"]?["Listable"] as JsonValue) ?? true;

    public static TypeMap Build(ContentTypeDefinition type, IReadOnlyDictionary<string, ContentPartDefinition> parts, ContentElements elements)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(elements);
        var fields = new List<ApiField>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string Unique(string key, string prefix)
        {
            // Two parts may have fields of the same name: the second is prefixed with its part's name.
            var candidate = keys.Contains(key) ? Camel(prefix) + Pascal(key) : key;
            for (var n = 2; !keys.Add(candidate); n++)
            {
                candidate = $"{Camel(prefix)}{Pascal(key)}{n}";
            }
            return candidate;
        }

        foreach (var part in type.Parts.OrderBy(p => double.TryParse(p.Position, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0))
        {
            var partKind = elements.Part(part.PartName);
            if (partKind is { ApiKind: null })
            {
                continue; // its content is the item's metadata (title, culture, alias, path, publish schedule)
            }
            var display = (string?)part.Settings["ContentTypePartSettings"]?["DisplayName"] ?? part.Name;
            if (partKind is { ApiKind: not "object" })
            {
                // A part that is itself one of the item's fields (a body, a bag).
                var key = partKind.ApiKey ?? Camel(part.Name);
                fields.Add(new ApiField(Unique(key, part.Name), partKind.ApiKind, part.Name, null, partKind.ApiKey is null ? display : Pascal(key), part.Settings, partKind));
                continue;
            }
            if (parts.TryGetValue(part.PartName, out var partDefinition) && partDefinition.Fields.Count > 0)
            {
                foreach (var field in partDefinition.Fields)
                {
                    var kind = elements.Field(field.FieldName);
                    fields.Add(new ApiField(Unique(Camel(field.Name), part.Name), kind?.ApiKind ?? "object", part.Name, field.Name, field.DisplayName, field.Settings, kind));
                }
            }
            else if (part.PartName != type.Name)
            {
                // A part this API does not know (ListPart, MenuItemsListPart, …): passed on as it is stored.
                fields.Add(new ApiField(Unique(Camel(part.Name), part.Name), "object", part.Name, null, display, part.Settings, partKind));
            }
        }
        return new TypeMap(type, fields);
    }

    public static string Camel(string name) =>
        string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string Pascal(string name) => string.IsNullOrEmpty(name) ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
