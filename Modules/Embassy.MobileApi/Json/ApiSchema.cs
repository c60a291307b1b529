using System.Text.Json.Nodes;
using Embassy.Content.Models;

namespace Embassy.MobileApi.Json;

/// <summary>The type maps of one definitions version; rebuilt when definitions change.</summary>
public sealed class ApiSchema(long definitionsVersion, IReadOnlyDictionary<string, TypeMap> types)
{
    public long DefinitionsVersion { get; } = definitionsVersion;

    public IReadOnlyDictionary<string, TypeMap> Types { get; } = types;

    public TypeMap? For(string contentType) => Types.GetValueOrDefault(contentType);

    public static ApiSchema Build(long version, IReadOnlyList<ContentTypeDefinition> types, IReadOnlyList<ContentPartDefinition> parts)
    {
        var partMap = parts.ToDictionary(p => p.Name, StringComparer.Ordinal);
        return new ApiSchema(version, types.ToDictionary(t => t.Name, t => TypeMap.Build(t, partMap), StringComparer.Ordinal));
    }

    /// <summary>/api/v1/types: what the app needs to render each type.</summary>
    public JsonArray ToJson() => new(Types.Values.OrderBy(t => t.Type.Name, StringComparer.Ordinal).Select(JsonNode? (t) => new JsonObject
    {
        ["name"] = t.Type.Name,
        ["displayName"] = t.Type.DisplayName,
        ["description"] = (string?)t.Type.Settings["ContentTypeSettings"]?["Description"],
        ["listable"] = t.Listable,
        ["order"] = t.NaturalOrder,
        ["hasEnd"] = t.HasEnd,
        ["fields"] = new JsonArray(t.Fields.Select(JsonNode? (f) => new JsonObject
        {
            ["key"] = f.Key,
            ["kind"] = f.Kind,
            ["displayName"] = f.DisplayName,
            ["description"] = (string?)f.Settings["ContentPartFieldSettings"]?["Description"],
            ["options"] = Options(f.Settings),
        }).ToArray()),
    }).ToArray());

    private static JsonArray? Options(JsonObject settings) =>
        settings["TextFieldPredefinedListEditorSettings"]?["Options"] is JsonArray options
            ? new JsonArray(options.OfType<JsonObject>().Select(JsonNode? (o) => new JsonObject { ["value"] = o["value"]?.DeepClone(), ["name"] = o["name"]?.DeepClone() }).ToArray())
            : null;
}
