using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Core;
using Embassy.Recipes;

namespace Embassy.Media.Recipes;

/// <summary>
/// MediaProfiles (Orchard's step): named image sizes — { "thumbnail": { "Width": 240, "Height": 240, "Mode": "Crop",
/// "Format": "Jpg", "Quality": 75, "BackgroundColor": "…", "Hint": "…" } } — stored in the site settings under
/// "MediaProfiles", merged by name, for the image transforms to serve. Each profile is checked for Orchard's shape.
/// </summary>
internal sealed class MediaProfilesStep(SiteSettingsStore settings, Images.MediaProfiles known) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        if (context.Property(Images.MediaProfiles.SettingsKey) is not JsonObject profiles)
        {
            throw new RecipeException("a MediaProfiles step needs a \"MediaProfiles\" object of named profiles");
        }
        foreach (var (name, value) in profiles)
        {
            if (Images.MediaProfiles.Check(name, value) is { Count: > 0 } errors)
            {
                throw new RecipeException(string.Join("; ", errors));
            }
        }
        var document = await settings.GetAsync(cancellationToken);
        var merged = document[Images.MediaProfiles.SettingsKey] as JsonObject is { } existing ? (JsonObject)existing.DeepClone() : [];
        foreach (var (name, value) in profiles)
        {
            merged[name] = value!.DeepClone();
        }
        var changed = await settings.MergeAsync(new JsonObject { [Images.MediaProfiles.SettingsKey] = merged }, cancellationToken);
        known.Invalidate();
        return $"{profiles.Count} media profiles stored ({string.Join(", ", profiles.Select(p => p.Key))})" + (changed.Count == 0 ? ", unchanged" : "");
    }
}
