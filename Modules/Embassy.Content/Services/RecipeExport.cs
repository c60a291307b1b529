using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services;

/// <summary>
/// The site's content model and content as an Orchard recipe: a ContentDefinition step with every type
/// and part, and a content step with the latest version of every item (and its published version when
/// a newer draft exists), so that importing it elsewhere reproduces the same state.
/// </summary>
public sealed class RecipeExport(EmbassyDbContext db, ContentDefinitionStore definitions)
{
    public async Task<JsonObject> ExportAsync(string name, CancellationToken cancellationToken)
    {
        var types = await definitions.ListTypesAsync(cancellationToken);
        var parts = await definitions.ListPartsAsync(cancellationToken);
        var records = await db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.Latest || i.Published)
            .OrderBy(i => i.Id).ToListAsync(cancellationToken);
        var items = new JsonArray();
        foreach (var record in records)
        {
            var json = ContentJson.ToModel(record).ToOrchardJson();
            items.Add(json);
        }
        var recipe = new JsonObject
        {
            ["name"] = name,
            ["displayName"] = name,
            ["description"] = "Exported from Embassy CMS.",
            ["author"] = "Embassy CMS",
            ["issetuprecipe"] = false,
            ["steps"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "ContentDefinition",
                    ["ContentTypes"] = new JsonArray(types.Select(t => (JsonNode?)t.Json.DeepClone()).ToArray()),
                    ["ContentParts"] = new JsonArray(parts.Select(p => (JsonNode?)p.Json.DeepClone()).ToArray()),
                },
                new JsonObject { ["name"] = "content", ["data"] = items }),
        };
        // Text that looks like a recipe script ("[js: …]" typed as a title) must come back as text on import, never run.
        Embassy.Recipes.ScriptEvaluator.EscapeAll(recipe);
        return recipe;
    }
}
