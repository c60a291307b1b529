using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Recipes;

namespace Embassy.Content.Recipes;

/// <summary>Content (or content): imports items in Orchard's JSON shape from "Data".</summary>
internal sealed class ContentStep(ContentManager contentManager) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        if (context.Property("data") is not JsonArray items)
        {
            throw new RecipeException("a content step needs a \"Data\" array of content items");
        }
        var snapshot = await contentManager.LoadDefinitionsAsync(cancellationToken);
        var counts = new Dictionary<ImportOutcome, int>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item)
            {
                throw new RecipeException($"Data[{i}] must be a content item object");
            }
            try
            {
                var outcome = await contentManager.ImportAsync(item, snapshot, cancellationToken);
                counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            }
            catch (ContentValidationException ex)
            {
                var id = item["ContentItemId"]?.ToString();
                var type = item["ContentType"]?.ToString();
                throw new RecipeException($"Data[{i}] ({type} {id}): {ex.Message}", ex);
            }
        }
        return $"{items.Count} content items: {counts.GetValueOrDefault(ImportOutcome.Created)} created, " +
               $"{counts.GetValueOrDefault(ImportOutcome.Updated)} updated, {counts.GetValueOrDefault(ImportOutcome.Unchanged)} unchanged";
    }
}
