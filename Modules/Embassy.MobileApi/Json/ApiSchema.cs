using System.Text.Json.Nodes;
using Embassy.Content.Models;

namespace Embassy.MobileApi.Json;

/// <summary>The cultures the API serves: the default (first) and each one's fallback chain.</summary>
public sealed record ApiLocalization(IReadOnlyList<string> Cultures, IReadOnlyDictionary<string, IReadOnlyList<string>> Fallback)
{
    public string Default => Cultures[0];

    /// <summary>The configured cultures, with the default culture and fallbacks an administrator set in the site settings
    /// (Localization: { DefaultCulture, Fallback: { pl: [en] } }); settings naming unknown cultures are ignored.</summary>
    public static ApiLocalization From(MobileApiOptions options, JsonObject siteSettings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(siteSettings);
        var cultures = options.Cultures.ToList();
        var fallback = options.Fallback.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value, StringComparer.Ordinal);
        if (siteSettings["Localization"] is JsonObject localization)
        {
            if ((string?)localization["DefaultCulture"] is { } preferred && cultures.Remove(preferred))
            {
                cultures.Insert(0, preferred);
            }
            if (localization["Fallback"] is JsonObject chains)
            {
                foreach (var (culture, chain) in chains)
                {
                    if (cultures.Contains(culture) && chain is JsonArray list)
                    {
                        fallback[culture] = list.Select(c => (string?)c ?? "").Where(c => cultures.Contains(c) && c != culture).Distinct().ToList();
                    }
                }
            }
        }
        return new ApiLocalization(cultures, fallback);
    }
}

/// <summary>The type maps of one definitions version; rebuilt when definitions (or the site's localization settings) change.</summary>
public sealed class ApiSchema(long definitionsVersion, IReadOnlyDictionary<string, TypeMap> types, ApiLocalization localization,
    Embassy.Content.Elements.ContentElements elements)
{
    /// <summary>The part and field kinds the types were mapped with.</summary>
    public Embassy.Content.Elements.ContentElements Elements { get; } = elements;

    public long DefinitionsVersion { get; } = definitionsVersion;

    public ApiLocalization Localization { get; } = localization;

    public IReadOnlyDictionary<string, TypeMap> Types { get; } = types;

    public TypeMap? For(string contentType) => Types.GetValueOrDefault(contentType);

    /// <summary>The images' sizes and the media profiles, written beside each image's URL (refreshed apart from the definitions).</summary>
    public Embassy.Media.Images.ImageCatalogSnapshot Images { get; private init; } = Embassy.Media.Images.ImageCatalogSnapshot.Empty;

    /// <summary>The same schema with a newer image catalog.</summary>
    public ApiSchema WithImages(Embassy.Media.Images.ImageCatalogSnapshot images) =>
        new(DefinitionsVersion, Types, Localization, Elements) { Images = images };

    public static ApiSchema Build(long version, IReadOnlyList<ContentTypeDefinition> types, IReadOnlyList<ContentPartDefinition> parts, ApiLocalization localization,
        Embassy.Content.Elements.ContentElements elements)
    {
        var partMap = parts.ToDictionary(p => p.Name, StringComparer.Ordinal);
        return new ApiSchema(version, types.ToDictionary(t => t.Name, t => TypeMap.Build(t, partMap, elements), StringComparer.Ordinal), localization, elements);
    }

    /// <summary>/api/v1/types: what the app needs to render each type.</summary>
    /// <summary>The content types as /api/v1/types gives them.</summary>
    public IReadOnlyList<Contract.ContentTypeInfo> Describe() => [.. Types.Values.OrderBy(t => t.Type.Name, StringComparer.Ordinal).Select(t =>
        new Contract.ContentTypeInfo(t.Type.Name, t.Type.DisplayName, (string?)t.Type.Settings["ContentTypeSettings"]?["Description"], t.Listable,
            t.NaturalOrder, t.HasEnd,
            [.. t.Fields.Select(f => new Contract.ContentFieldInfo(f.Key, f.Kind, f.DisplayName, (string?)f.Settings["ContentPartFieldSettings"]?["Description"],
                Options(f.Settings)))]))];

    private static List<Contract.FieldOption>? Options(JsonObject settings) =>
        settings["TextFieldPredefinedListEditorSettings"]?["Options"] is JsonArray options
            ? [.. options.OfType<JsonObject>().Select(o => new Contract.FieldOption(Text(o["value"]), Text(o["name"])))]
            : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
}
