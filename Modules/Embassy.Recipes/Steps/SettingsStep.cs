using System.Text.Json.Nodes;
using Embassy.Core;

namespace Embassy.Recipes.Steps;

/// <summary>settings: every key but "name" is kept in the site settings (SiteName, TimeZoneId, BaseUrl, …).</summary>
internal sealed class SettingsStep(SiteSettingsStore settings) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var values = new JsonObject();
        foreach (var (key, value) in context.Step)
        {
            if (!string.Equals(key, "name", StringComparison.OrdinalIgnoreCase))
            {
                values[key] = value?.DeepClone();
            }
        }
        var changed = await settings.MergeAsync(values, cancellationToken);
        return changed.Count == 0 ? "settings unchanged" : $"settings saved: {string.Join(", ", changed)}";
    }
}
