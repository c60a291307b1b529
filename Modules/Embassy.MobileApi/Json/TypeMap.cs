using System.Text.Json.Nodes;
using Embassy.Content.Models;

namespace Embassy.MobileApi.Json;

/// <summary>Where a value of the app's item JSON comes from, and what kind of value it is.</summary>
public sealed record ApiField(string Key, string Kind, string Part, string? Field, string DisplayName, JsonObject Settings);

/// <summary>
/// How one content type is flattened for the app: Orchard's parts and fields become one "fields"
/// object with camelCase keys. The same map drives the item JSON and /api/v1/types, so the schema
/// the app renders always matches the items it receives.
/// </summary>
public sealed class TypeMap
{
    /// <summary>Parts whose content becomes item metadata (title, culture, alias, path) or is internal.</summary>
    private static readonly HashSet<string> PromotedParts = new(StringComparer.Ordinal)
    {
        "TitlePart", "LocalizationPart", "AliasPart", "AutoroutePart", "PublishLaterPart",
    };

    private static readonly Dictionary<string, string> FieldKinds = new(StringComparer.Ordinal)
    {
        ["TextField"] = "text", ["HtmlField"] = "html", ["MarkdownField"] = "markdown", ["NumericField"] = "number",
        ["BooleanField"] = "boolean", ["DateField"] = "date", ["DateTimeField"] = "datetime", ["TimeField"] = "time",
        ["LinkField"] = "link", ["MediaField"] = "media", ["ContentPickerField"] = "contentItems",
    };

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

    public static TypeMap Build(ContentTypeDefinition type, IReadOnlyDictionary<string, ContentPartDefinition> parts)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(parts);
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
            if (PromotedParts.Contains(part.PartName))
            {
                continue;
            }
            var display = (string?)part.Settings["ContentTypePartSettings"]?["DisplayName"] ?? part.Name;
            switch (part.PartName)
            {
                case "HtmlBodyPart":
                    fields.Add(new ApiField(Unique("body", part.Name), "html", part.Name, null, "Body", part.Settings));
                    continue;
                case "MarkdownBodyPart":
                    fields.Add(new ApiField(Unique("body", part.Name), "markdown", part.Name, null, "Body", part.Settings));
                    continue;
                case "BagPart":
                    fields.Add(new ApiField(Unique(Camel(part.Name), part.Name), "items", part.Name, null, display, part.Settings));
                    continue;
            }
            if (parts.TryGetValue(part.PartName, out var partDefinition) && partDefinition.Fields.Count > 0)
            {
                foreach (var field in partDefinition.Fields)
                {
                    var kind = FieldKinds.GetValueOrDefault(field.FieldName, "object");
                    fields.Add(new ApiField(Unique(Camel(field.Name), part.Name), kind, part.Name, field.Name, field.DisplayName, field.Settings));
                }
            }
            else if (part.PartName != type.Name)
            {
                // A part this API does not know (ListPart, MenuItemsListPart, …): passed on as it is stored.
                fields.Add(new ApiField(Unique(Camel(part.Name), part.Name), "object", part.Name, null, display, part.Settings));
            }
        }
        return new TypeMap(type, fields);
    }

    public static string Camel(string name) =>
        string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string Pascal(string name) => string.IsNullOrEmpty(name) ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
