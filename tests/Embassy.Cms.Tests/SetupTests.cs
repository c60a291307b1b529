using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Cms.Tests;

public sealed class SqliteSetupTests() : SetupTests(TestDatabase.Sqlite);

public sealed class MariaDbSetupTests() : SetupTests(TestDatabase.MariaDb);

public abstract class SetupTests(TestDatabase database)
{
    /// <summary>The product's starter items (Recipes/embassy-content.recipe.json; their ids are fixed in the file).</summary>
    private static List<JsonObject> StarterItems()
    {
        var recipe = JsonNode.Parse(File.ReadAllText(Paths.StarterContentRecipe),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        return recipe["steps"]!.AsArray().Where(s => (string?)s!["name"] == "content").SelectMany(s => s!["data"]!.AsArray()).Cast<JsonObject>().ToList();
    }

    [Fact]
    public async Task FirstRun_MigratesImportsTheEmbassyRecipe_AndCreatesTheAdministrator()
    {
        // The product's setup as shipped: the model, then the starter content (the other tests start with their own content).
        await using var app = await EmbassyAppFactory.CreateAsync(database, new Dictionary<string, string?> { ["Embassy:Setup:ContentRecipe"] = "Recipes/embassy-content.recipe.json" });
        var client = app.CreateClient();

        var live = await client.GetFromJsonAsync<JsonObject>("/health/live");
        Assert.Equal("Master", (string?)live!["role"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        var items = StarterItems();
        var richText = 0;
        Assert.True(items.Count >= 20);
        Assert.Equal(items.Count / 2, items.Count(i => (string?)i["LocalizationPart"]!["Culture"] == "pl"));
        foreach (var expected in items)
        {
            var id = (string)expected["ContentItemId"]!;
            var served = await client.GetFromJsonAsync<JsonObject>($"/api/content/{id}");
            Assert.Equal((string?)expected["ContentType"], (string?)served!["ContentType"]);
            Assert.Equal((string?)expected["DisplayText"], (string?)served["DisplayText"]);
            Assert.Equal("admin", (string?)served["Author"]);
            Assert.True((bool)served["Published"]!);
            foreach (var (key, value) in expected.Where(p => p.Value is JsonObject))
            {
                Assert.True(JsonNode.DeepEquals(value, served[key]), $"{id} {key}: {served[key]?.ToJsonString()}");
            }
            richText += await RichTextCheck.CheckItemAsync(client, id); // its rich text as blocks, valid against the published schema
        }
        Assert.True(richText > 0, "the starter content has no rich text");
        // Each Polish item has its English translation in the same localization set.
        Assert.All(items.GroupBy(i => (string)i["LocalizationPart"]!["LocalizationSet"]!),
            g => Assert.Equal(["en", "pl"], g.Select(i => (string)i["LocalizationPart"]!["Culture"]!).Order()));

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var admin = await users.FindByNameAsync("admin");
        Assert.NotNull(admin);
        Assert.True(await users.CheckPasswordAsync(admin, EmbassyAppFactory.AdminPassword));
        Assert.True(await users.IsInRoleAsync(admin, "Administrator"));
    }

    [Fact]
    public async Task StartingAgain_KeepsTheData_AndDoesNotRunSetupAgain()
    {
        var dataDirectory = TestSite.NewDataDirectory();
        var connection = database == TestDatabase.MariaDb ? await SharedMariaDb.NewDatabaseAsync() : null;
        var unpublishedId = TestContent.NewsAEnglish.Id;
        await using (var first = new EmbassyAppFactory(dataDirectory, connection))
        {
            _ = first.CreateClient();
            await using var scope = first.Services.CreateAsyncScope();
            Assert.True(await scope.ServiceProvider.GetRequiredService<ContentManager>().UnpublishAsync(unpublishedId, default));
        }
        await using var second = new EmbassyAppFactory(dataDirectory, connection, new Dictionary<string, string?> { ["Embassy:Setup:AdminPassword"] = "Another-Password-2" });
        var client = second.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/content/{unpublishedId}")).StatusCode);
        await using var check = second.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByNameAsync("admin"))!, EmbassyAppFactory.AdminPassword));
    }

    [Fact]
    public async Task WithoutContentRecipe_TheSiteStartsWithTheModelOnly()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(database, new Dictionary<string, string?> { ["Embassy:Setup:ContentRecipe"] = "" });
        var client = app.CreateClient();
        var types = await client.GetFromJsonAsync<JsonObject>("/api/v1/types");
        Assert.Contains(types!["types"]!.AsArray(), t => (string?)t!["name"] == "Alert");
        var news = await client.GetFromJsonAsync<JsonObject>("/api/v1/content/News?culture=en");
        Assert.Empty(news!["items"]!.AsArray());
        await using var scope = app.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByNameAsync("admin"));
    }

    [Theory]
    [InlineData("does-not-exist")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    [InlineData("'; DROP TABLE ContentItems; --")]
    public async Task ContentApi_Answers404ProblemDetails_ForUnknownIds(string id)
    {
        await using var app = await EmbassyAppFactory.CreateAsync(database);
        var response = await app.CreateClient().GetAsync($"/api/content/{Uri.EscapeDataString(id)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
