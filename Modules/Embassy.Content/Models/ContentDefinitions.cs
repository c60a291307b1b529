using System.Text.Json.Nodes;

namespace Embassy.Content.Models;

/// <summary>A content type in Orchard's recipe shape. <see cref="Json"/> keeps every setting, understood or not.</summary>
public sealed record ContentTypeDefinition(string Name, string DisplayName, JsonObject Json)
{
    public JsonObject Settings => Json["Settings"] as JsonObject ?? [];

    public IReadOnlyList<TypePartDefinition> Parts =>
        (Json["ContentTypePartDefinitionRecords"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(p => new TypePartDefinition(
                Name: (string?)p["Name"] ?? (string?)p["PartName"] ?? "",
                PartName: (string?)p["PartName"] ?? (string?)p["Name"] ?? "",
                Settings: p["Settings"] as JsonObject ?? []))
            .ToList();

    /// <summary>Orchard's ContentTypeSettings.Stereotype (e.g. "Widget", "MenuItem").</summary>
    public string? Stereotype => (string?)Settings["ContentTypeSettings"]?["Stereotype"];
}

public sealed record TypePartDefinition(string Name, string PartName, JsonObject Settings)
{
    public string? Position => Settings["ContentTypePartSettings"]?["Position"]?.ToString();
}

public sealed record ContentPartDefinition(string Name, JsonObject Json)
{
    public JsonObject Settings => Json["Settings"] as JsonObject ?? [];

    public IReadOnlyList<PartFieldDefinition> Fields =>
        (Json["ContentPartFieldDefinitionRecords"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(f => new PartFieldDefinition(
                Name: (string?)f["Name"] ?? "",
                FieldName: (string?)f["FieldName"] ?? "",
                Settings: f["Settings"] as JsonObject ?? []))
            .ToList();
}

public sealed record PartFieldDefinition(string Name, string FieldName, JsonObject Settings)
{
    public string DisplayName => (string?)Settings["ContentPartFieldSettings"]?["DisplayName"] ?? Name;
}
