using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Recipes;

namespace Embassy.Content.Recipes;

/// <summary>ContentDefinition: types and parts merged into what exists (Orchard's Alter semantics).</summary>
internal sealed class ContentDefinitionStep(ContentDefinitionStore store) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var (types, parts) = await ApplyAsync(store, context.Property("ContentTypes"), context.Property("ContentParts"), replace: false, cancellationToken);
        return $"{types} content types, {parts} content parts defined";
    }

    internal static async Task<(int Types, int Parts)> ApplyAsync(ContentDefinitionStore store, JsonNode? types, JsonNode? parts,
        bool replace, CancellationToken cancellationToken)
    {
        var typeCount = 0;
        foreach (var (type, i) in Objects(types, "ContentTypes"))
        {
            try
            {
                _ = replace ? await store.ReplaceTypeAsync(type, cancellationToken) : await store.AlterTypeAsync(type, cancellationToken);
            }
            catch (ContentValidationException ex)
            {
                throw new RecipeException($"ContentTypes[{i}]: {ex.Message}", ex);
            }
            typeCount++;
        }
        var partCount = 0;
        foreach (var (part, i) in Objects(parts, "ContentParts"))
        {
            try
            {
                _ = replace ? await store.ReplacePartAsync(part, cancellationToken) : await store.AlterPartAsync(part, cancellationToken);
            }
            catch (ContentValidationException ex)
            {
                throw new RecipeException($"ContentParts[{i}]: {ex.Message}", ex);
            }
            partCount++;
        }
        return (typeCount, partCount);
    }

    private static IEnumerable<(JsonObject Item, int Index)> Objects(JsonNode? node, string property)
    {
        if (node is null)
        {
            yield break;
        }
        if (node is not JsonArray array)
        {
            throw new RecipeException($"{property} must be an array");
        }
        for (var i = 0; i < array.Count; i++)
        {
            yield return array[i] is JsonObject o ? (o, i) : throw new RecipeException($"{property}[{i}] must be an object");
        }
    }
}

/// <summary>ReplaceContentDefinition: the named types and parts become exactly what the step says.</summary>
internal sealed class ReplaceContentDefinitionStep(ContentDefinitionStore store) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var (types, parts) = await ContentDefinitionStep.ApplyAsync(store, context.Property("ContentTypes"), context.Property("ContentParts"),
            replace: true, cancellationToken);
        return $"{types} content types, {parts} content parts replaced";
    }
}

/// <summary>DeleteContentDefinition: removes types and parts by name (content items stay, as in Orchard).</summary>
internal sealed class DeleteContentDefinitionStep(ContentDefinitionStore store) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var types = 0;
        foreach (var name in Names(context.Property("ContentTypes"), "ContentTypes"))
        {
            types += await store.DeleteTypeAsync(name, cancellationToken) ? 1 : 0;
        }
        var parts = 0;
        foreach (var name in Names(context.Property("ContentParts"), "ContentParts"))
        {
            parts += await store.DeletePartAsync(name, cancellationToken) ? 1 : 0;
        }
        return $"{types} content types, {parts} content parts deleted";
    }

    private static List<string> Names(JsonNode? node, string property) => node switch
    {
        null => [],
        JsonArray array => array.Select((n, i) => n switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonObject o when (string?)o["Name"] is { } s => s,
            _ => throw new RecipeException($"{property}[{i}] must be a name"),
        }).ToList(),
        _ => throw new RecipeException($"{property} must be an array of names"),
    };
}

/// <summary>
/// feature: Orchard enables modules. Here the features whose migrations define content types
/// (Menu, Taxonomies) get those definitions, so recipes that use their types import as in Orchard;
/// the others have no meaning in this CMS and are reported.
/// </summary>
internal sealed class FeatureStep(ContentDefinitionStore store) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var enabled = (context.Property("enable") as JsonArray ?? []).Select(n => n?.ToString()).OfType<string>().ToList();
        var applied = new List<string>();
        foreach (var feature in enabled)
        {
            var resource = typeof(FeatureStep).Assembly.GetManifestResourceStream($"Embassy.Content.Features.{feature}.json");
            if (resource is null)
            {
                continue;
            }
            await using (resource)
            {
                var definitions = (JsonObject)(await JsonNode.ParseAsync(resource, cancellationToken: cancellationToken))!;
                await ContentDefinitionStep.ApplyAsync(store, definitions["ContentTypes"], definitions["ContentParts"], replace: false, cancellationToken);
            }
            applied.Add(feature);
        }
        var ignored = enabled.Count - applied.Count;
        return applied.Count == 0
            ? $"{ignored} features have no meaning here (nothing to enable in this CMS)"
            : $"content definitions of {string.Join(", ", applied)} applied; {ignored} other features have no meaning here";
    }
}
