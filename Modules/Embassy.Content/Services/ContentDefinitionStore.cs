using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Content.Data;
using Embassy.Content.Models;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services;

/// <summary>Content type and part definitions, in Orchard's recipe shape, with Orchard's merge semantics.</summary>
public sealed partial class ContentDefinitionStore(EmbassyDbContext db) : IDefinitionsVersion, IMediaVersion
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,254}$")]
    private static partial Regex NamePattern();

    public async Task<IReadOnlyList<ContentTypeDefinition>> ListTypesAsync(CancellationToken cancellationToken)
    {
        var records = await db.Set<ContentTypeRecord>().AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return records.Select(ToType).ToList();
    }

    public async Task<ContentTypeDefinition?> GetTypeAsync(string name, CancellationToken cancellationToken)
    {
        var record = await db.Set<ContentTypeRecord>().AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        return record is null ? null : ToType(record);
    }

    public async Task<IReadOnlyList<ContentPartDefinition>> ListPartsAsync(CancellationToken cancellationToken)
    {
        var records = await db.Set<ContentPartRecord>().AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return records.Select(ToPart).ToList();
    }

    public async Task<ContentPartDefinition?> GetPartAsync(string name, CancellationToken cancellationToken)
    {
        var record = await db.Set<ContentPartRecord>().AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        return record is null ? null : ToPart(record);
    }

    /// <summary>Orchard's AlterTypeDefinition: settings merge, parts merge by name, nothing is removed.</summary>
    public async Task<ContentTypeDefinition> AlterTypeAsync(JsonObject definition, CancellationToken cancellationToken)
    {
        var name = ValidateType(definition);
        var record = await db.Set<ContentTypeRecord>().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        var merged = Merge(record?.Definition, definition, "ContentTypePartDefinitionRecords");
        return await SaveTypeAsync(record, name, merged, cancellationToken);
    }

    /// <summary>ReplaceContentDefinition: the stored definition becomes exactly the given one.</summary>
    public async Task<ContentTypeDefinition> ReplaceTypeAsync(JsonObject definition, CancellationToken cancellationToken)
    {
        var name = ValidateType(definition);
        var record = await db.Set<ContentTypeRecord>().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        return await SaveTypeAsync(record, name, (JsonObject)definition.DeepClone(), cancellationToken);
    }

    public async Task<ContentPartDefinition> AlterPartAsync(JsonObject definition, CancellationToken cancellationToken)
    {
        var name = ValidatePart(definition);
        var record = await db.Set<ContentPartRecord>().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        var merged = Merge(record?.Definition, definition, "ContentPartFieldDefinitionRecords");
        return await SavePartAsync(record, name, merged, cancellationToken);
    }

    public async Task<ContentPartDefinition> ReplacePartAsync(JsonObject definition, CancellationToken cancellationToken)
    {
        var name = ValidatePart(definition);
        var record = await db.Set<ContentPartRecord>().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        return await SavePartAsync(record, name, (JsonObject)definition.DeepClone(), cancellationToken);
    }

    public async Task<bool> DeleteTypeAsync(string name, CancellationToken cancellationToken) =>
        await db.Set<ContentTypeRecord>().Where(t => t.Name == name).ExecuteDeleteAsync(cancellationToken) > 0 &&
        await BumpVersionAsync(cancellationToken);

    public async Task<bool> DeletePartAsync(string name, CancellationToken cancellationToken) =>
        await db.Set<ContentPartRecord>().Where(t => t.Name == name).ExecuteDeleteAsync(cancellationToken) > 0 &&
        await BumpVersionAsync(cancellationToken);

    /// <summary>Tells every server (which poll the head row) that definitions changed, so cached schemas and items are rebuilt.</summary>
    Task IDefinitionsVersion.BumpAsync(CancellationToken cancellationToken) => BumpVersionAsync(cancellationToken);

    /// <summary>Tells every server that the media index changed (kept in the same head row, replicated with the media rows).</summary>
    Task IMediaVersion.BumpAsync(CancellationToken cancellationToken) =>
        db.Set<ChangeFeedHead>().Where(h => h.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(h => h.MediaVersion, h => h.MediaVersion + 1), cancellationToken);

    /// <summary>Tells every server (which poll the head row) that definitions changed, so cached schemas and items are rebuilt.</summary>
    public async Task<bool> BumpVersionAsync(CancellationToken cancellationToken)
    {
        await db.Set<ChangeFeedHead>().Where(h => h.Id == 1)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.DefinitionsVersion, h => h.DefinitionsVersion + 1), cancellationToken);
        return true;
    }

    /// <summary>Orchard's Alter: settings merge key by key, records (parts or fields) merge by Name, nothing is removed.</summary>
    private static JsonObject Merge(string? stored, JsonObject definition, string recordsKey)
    {
        var merged = stored is null ? new JsonObject() : ParseObject(stored);
        foreach (var (key, value) in definition)
        {
            if (key == recordsKey)
            {
                merged[key] = JsonMerge.Records(merged[key] as JsonArray, value as JsonArray, "Name");
            }
            else if (value is JsonObject incoming && merged[key] is JsonObject current)
            {
                JsonMerge.Into(current, incoming);
            }
            else
            {
                merged[key] = value?.DeepClone();
            }
        }
        return merged;
    }

    private async Task<ContentTypeDefinition> SaveTypeAsync(ContentTypeRecord? record, string name, JsonObject json, CancellationToken cancellationToken)
    {
        var displayName = (string?)json["DisplayName"] ?? name;
        json["Name"] = name;
        json["DisplayName"] = displayName;
        if (record is null)
        {
            record = new ContentTypeRecord { Name = name };
            db.Add(record);
        }
        var definition = json.ToJsonString();
        if (record.Definition != definition || record.DisplayName != displayName)
        {
            record.DisplayName = displayName;
            record.Definition = definition;
            await BumpVersionAsync(cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return ToType(record);
    }

    private async Task<ContentPartDefinition> SavePartAsync(ContentPartRecord? record, string name, JsonObject json, CancellationToken cancellationToken)
    {
        json["Name"] = name;
        if (record is null)
        {
            record = new ContentPartRecord { Name = name };
            db.Add(record);
        }
        var definition = json.ToJsonString();
        if (record.Definition != definition)
        {
            record.Definition = definition;
            await BumpVersionAsync(cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return ToPart(record);
    }

    private static string ValidateType(JsonObject definition)
    {
        var name = ValidateName(definition, "content type");
        var errors = new List<string>();
        if (definition["ContentTypePartDefinitionRecords"] is { } parts)
        {
            if (parts is not JsonArray array)
            {
                throw new ContentValidationException($"content type '{name}': ContentTypePartDefinitionRecords must be an array");
            }
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject part || string.IsNullOrWhiteSpace((string?)part["PartName"] ?? (string?)part["Name"]))
                {
                    errors.Add($"content type '{name}': ContentTypePartDefinitionRecords[{i}] needs a PartName");
                }
            }
        }
        if (definition["Settings"] is { } settings && settings is not JsonObject)
        {
            errors.Add($"content type '{name}': Settings must be an object");
        }
        return errors.Count > 0 ? throw new ContentValidationException(errors) : name;
    }

    private static string ValidatePart(JsonObject definition)
    {
        var name = ValidateName(definition, "content part");
        if (definition["ContentPartFieldDefinitionRecords"] is { } fields)
        {
            if (fields is not JsonArray array)
            {
                throw new ContentValidationException($"content part '{name}': ContentPartFieldDefinitionRecords must be an array");
            }
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject field || string.IsNullOrWhiteSpace((string?)field["Name"]) ||
                    string.IsNullOrWhiteSpace((string?)field["FieldName"]))
                {
                    throw new ContentValidationException($"content part '{name}': ContentPartFieldDefinitionRecords[{i}] needs a Name and a FieldName");
                }
            }
        }
        return name;
    }

    private static string ValidateName(JsonObject definition, string what)
    {
        var node = definition["Name"];
        var name = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ContentValidationException($"a {what} needs a Name");
        }
        return NamePattern().IsMatch(name) ? name : throw new ContentValidationException($"'{name}' is not a valid {what} name (letters, digits, '_', '.', '-')");
    }

    internal static JsonObject ParseObject(string json) => JsonNode.Parse(json) as JsonObject ?? throw new JsonException("expected a JSON object");

    private static ContentTypeDefinition ToType(ContentTypeRecord r) => new(r.Name, r.DisplayName, ParseObject(r.Definition));

    private static ContentPartDefinition ToPart(ContentPartRecord r) => new(r.Name, ParseObject(r.Definition));
}
