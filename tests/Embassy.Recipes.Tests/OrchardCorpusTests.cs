using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Media.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Recipes.Tests;

public sealed class SqliteOrchardCorpusTests() : OrchardCorpusTests(TestDatabase.Sqlite);

public sealed class MariaDbOrchardCorpusTests() : OrchardCorpusTests(TestDatabase.MariaDb);

/// <summary>Every recipe of Orchard Core's own that tests/corpus/orchard holds imports, and what it defines is stored.</summary>
public abstract class OrchardCorpusTests(TestDatabase database)
{
    public static TheoryData<string> Recipes()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Paths.OrchardRecipes, "*.recipe.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Paths.OrchardRecipes, file));
        }
        return data;
    }

    /// <summary>The site name Orchard's setup passes as a recipe parameter (the agency recipe titles its items with it).</summary>
    private const string SiteName = "Embassy test site";

    [Fact]
    public void TheCorpusIsThere() => Assert.True(Recipes().Count >= 8, $"expected Orchard's recipes under {Paths.OrchardRecipes}");

    [Theory]
    [MemberData(nameof(Recipes))]
    public async Task Recipe_Imports_AndStoresWhatItDefines(string relativePath)
    {
        var path = Path.Combine(Paths.OrchardRecipes, relativePath);
        await using var site = await TestSite.CreateAsync(database);
        var result = await site.Services.GetRequiredService<RecipeExecutor>().ImportFileAsync(path, new RecipeImportOptions
        {
            Parameters = new Dictionary<string, string?> { ["AdminUserId"] = "admin-id", ["AdminUsername"] = "admin", ["SiteName"] = SiteName },
        }, default);

        var recipe = Parse(path);
        var steps = recipe["steps"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(steps.Count, result.Steps.Count);

        await site.WithScopeAsync(async sp =>
        {
            var definitions = sp.GetRequiredService<ContentDefinitionStore>();
            foreach (var type in Step(steps, "ContentDefinition").SelectMany(s => s["ContentTypes"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                var stored = await definitions.GetTypeAsync((string)type["Name"]!, default);
                Assert.NotNull(stored);
                var expectedParts = type["ContentTypePartDefinitionRecords"]!.AsArray().Select(p => (string)p!["Name"]!).ToList();
                Assert.Subset(stored.Parts.Select(p => p.Name).ToHashSet(), expectedParts.ToHashSet());
            }
            foreach (var part in Step(steps, "ContentDefinition").SelectMany(s => s["ContentParts"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                var stored = await definitions.GetPartAsync((string)part["Name"]!, default);
                Assert.NotNull(stored);
                var expectedFields = (part["ContentPartFieldDefinitionRecords"]?.AsArray() ?? []).Select(f => ((string)f!["Name"]!, (string)f["FieldName"]!));
                Assert.Equal(expectedFields.Order(), stored.Fields.Select(f => (f.Name, f.FieldName)).Order());
            }

            var contentManager = sp.GetRequiredService<ContentManager>();
            var db = sp.GetRequiredService<Embassy.Core.EmbassyDbContext>();
            var stored_ = db.Set<Embassy.Content.Data.ContentItemRecord>().Where(i => i.Latest).ToList();
            var expectedItems = Step(steps, "content").SelectMany(s => (s["Data"] ?? s["data"])!.AsArray()).OfType<JsonObject>().ToList();
            Assert.Equal(expectedItems.Count, stored_.Count);
            foreach (var item in expectedItems)
            {
                var title = ((string?)item["DisplayText"] ?? (string?)item["TitlePart"]?["Title"] ?? "").Replace("[js: parameters('SiteName')]", SiteName, StringComparison.Ordinal);
                var match = stored_.Where(r => r.ContentType == (string)item["ContentType"]! && r.DisplayText == title).ToList();
                var record = Assert.Single(match);
                Assert.Equal((bool?)item["Published"] ?? false, record.Published);
                var loaded = (await contentManager.GetLatestAsync(record.ContentItemId, default))!;
                foreach (var (key, value) in item)
                {
                    if (value is JsonObject partJson && !Embassy.Content.Models.ContentItem.WellKnownProperties.Contains(key))
                    {
                        Assert.True(loaded.Content.ContainsKey(key), $"part {key} of {record.ContentType} missing");
                        Assert.Equal(partJson.Select(p => p.Key).Order(), loaded.Content[key]!.AsObject().Select(p => p.Key).Order());
                    }
                }
            }

            var media = sp.GetRequiredService<MediaStore>();
            foreach (var file in Step(steps, "media").SelectMany(s => s["Files"]!.AsArray()).OfType<JsonObject>())
            {
                var target = (string)file["TargetPath"]!;
                var record = await media.FindAsync(target, default);
                Assert.NotNull(record);
                var source = Path.Combine(Path.GetDirectoryName(path)!, (string)file["SourcePath"]!);
                // As uploaded, but for a picture's metadata (EXIF, XMP, comments), which the intake takes out losslessly (#38).
                var bytes = File.ReadAllBytes(source);
                var expected = Embassy.Media.Images.ImageMetadata.Strip(bytes, Path.GetExtension(source)) ?? bytes;
                Assert.Equal(expected, File.ReadAllBytes(Path.Combine(site.MediaDirectory, target)));
                Assert.Equal(expected.Length, record.Size);
            }
        });
    }

    [Theory]
    [MemberData(nameof(Recipes))]
    public async Task ImportingTwice_LeavesTheSameStateAsOnce(string relativePath)
    {
        var path = Path.Combine(Paths.OrchardRecipes, relativePath);
        await using var site = await TestSite.CreateAsync(database);
        var executor = site.Services.GetRequiredService<RecipeExecutor>();
        await executor.ImportFileAsync(path, new RecipeImportOptions(), default);
        var once = await SiteSnapshot.TakeAsync(site);
        await executor.ImportFileAsync(path, new RecipeImportOptions(), default);
        Assert.Equal(once, await SiteSnapshot.TakeAsync(site));
    }

    internal static JsonObject Parse(string path) =>
        JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();

    private static IEnumerable<JsonObject> Step(List<JsonObject> steps, string name) =>
        steps.Where(s => string.Equals((string?)s["name"], name, StringComparison.OrdinalIgnoreCase));
}
