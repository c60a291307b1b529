using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Core;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Recipes.Tests;

/// <summary>What Orchard's own recipes rely on, checked on what they leave behind.</summary>
public sealed class OrchardRecipeBehaviourTests
{
    /// <summary>TheComingSoonTheme: "now" is `new Date().toISOString()`, and the items' dates read it.</summary>
    [Fact]
    public async Task TheComingSoonRecipe_DatesItsItemsWithTheScriptsNow()
    {
        await using var site = await TestSite.CreateAsync(TestDatabase.Sqlite);
        var before = DateTime.UtcNow.AddSeconds(-5);
        await site.Services.GetRequiredService<RecipeExecutor>().ImportFileAsync(
            Path.Combine(Paths.OrchardRecipes, "TheComingSoonTheme", "Recipes", "comingsoon.recipe.json"), new RecipeImportOptions(), default);
        var items = await site.WithScopeAsync(sp => sp.GetRequiredService<EmbassyDbContext>().Set<ContentItemRecord>().AsNoTracking().ToListAsync());
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.InRange(i.CreatedUtc, before, DateTime.UtcNow.AddSeconds(5)));
    }

    /// <summary>The blog's MediaProfiles step is stored (for image sizes), not skipped; a profile of the wrong shape is an error.</summary>
    [Fact]
    public async Task MediaProfiles_AreStoredInTheSiteSettings()
    {
        await using var site = await TestSite.CreateAsync(TestDatabase.Sqlite);
        var executor = site.Services.GetRequiredService<RecipeExecutor>();
        var result = await executor.ImportFileAsync(Path.Combine(Paths.OrchardRecipes, "TheBlogTheme", "Recipes", "blog.recipe.json"), new RecipeImportOptions(), default);
        var step = result.Steps.Single(s => s.Name == "MediaProfiles");
        Assert.Equal(RecipeStepStatus.Applied, step.Status);
        Assert.Contains("1 media profiles stored (banner)", step.Message, StringComparison.Ordinal);
        var settings = await site.WithScopeAsync(sp => sp.GetRequiredService<SiteSettingsStore>().GetAsync(default));
        var banner = settings["MediaProfiles"]!["banner"]!;
        Assert.Equal(2048, (int)banner["Width"]!);
        Assert.Equal(600, (int)banner["Height"]!);

        var folder = Path.Combine(site.DataDirectory, "profiles");
        Directory.CreateDirectory(folder);
        var bad = Path.Combine(folder, "bad.recipe.json");
        await File.WriteAllTextAsync(bad, """{ "steps": [ { "name": "MediaProfiles", "MediaProfiles": { "huge": { "Width": 100000, "Mode": "Crop" } } } ] }""");
        var error = await Assert.ThrowsAsync<RecipeException>(() => executor.ImportFileAsync(bad, new RecipeImportOptions(), default));
        Assert.Contains("MediaProfiles.huge.Width must be a whole number from 0 to 4096", error.Message, StringComparison.Ordinal);
    }
}
