using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Core;
using Embassy.Recipes;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Cms.Tests;

/// <summary>After importing each Orchard recipe, /api/content/{id} serves every published item with its parts and fields.</summary>
public sealed class CorpusApiTests
{
    public static TheoryData<string> RecipesWithContent()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Paths.OrchardRecipes, "*.recipe.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            // Recipes with a content step (socialmetasettings names ContentItemIds in a step that is skipped here).
            if (text.Contains("\"ContentItemId\"", StringComparison.Ordinal) &&
                System.Text.RegularExpressions.Regex.IsMatch(text, "\"name\"\\s*:\\s*\"content\"", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            {
                data.Add(Path.GetRelativePath(Paths.OrchardRecipes, file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RecipesWithContent))]
    public async Task EveryPublishedItem_IsServedInOrchardsShape(string relativePath)
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);
        var client = app.CreateClient();
        await app.Services.GetRequiredService<RecipeExecutor>().ImportFileAsync(Path.Combine(Paths.OrchardRecipes, relativePath), new RecipeImportOptions(), default);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var starter = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Paths.TestContentRecipe),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.ToJsonString();
        var fromRecipe = (await db.Set<ContentItemRecord>().Where(i => i.Latest).ToListAsync())
            .Where(i => !starter.Contains(i.ContentItemId, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fromRecipe);
        foreach (var record in fromRecipe)
        {
            var response = await client.GetAsync($"/api/content/{record.ContentItemId}");
            if (!record.Published)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                continue;
            }
            var served = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(record.ContentItemId, (string?)served["ContentItemId"]);
            // Its rich text as blocks: valid against the published JSON Schema (and, by the contract check, the OpenAPI document).
            await RichTextCheck.CheckItemAsync(client, record.ContentItemId);
            Assert.Equal(record.ContentItemVersionId, (string?)served["ContentItemVersionId"]);
            var parts = JsonNode.Parse(record.Data)!.AsObject();
            foreach (var (key, value) in parts.Where(p => !Embassy.Content.Models.ContentItem.WellKnownProperties.Contains(p.Key, StringComparer.OrdinalIgnoreCase)))
            {
                Assert.True(JsonNode.DeepEquals(value, served[key]), $"{record.ContentType}.{key}");
            }
        }
    }
}
