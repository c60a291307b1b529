using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Embassy.Content.Data;
using Embassy.Core;
using Embassy.Recipes;
using Embassy.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

public sealed class RecipePageTests : IAsyncLifetime
{
    private EmbassyAppFactory _app = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);
        _browser = await CmiBrowser.SignInAsync(_app);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _app.DisposeAsync();
    }

    private Task<string> TokenAsync(string url) => _browser.TokenAsync(url);

    private async Task<HttpResponseMessage> UploadAsync(string fileName, byte[] bytes, string? recipePath = null)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await TokenAsync("/admin/recipes")), "__RequestVerificationToken" },
        };
        if (recipePath is not null)
        {
            form.Add(new StringContent(recipePath), "recipePath");
        }
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(file, "recipe", fileName);
        return await _browser.PostAsync("/admin/recipes", form);
    }

    [Theory]
    [InlineData("TheAdmin/headless.recipe.json", "skipped")]
    [InlineData("OrchardCore.Menu/menu.recipe.json", "4 content types, 5 content parts defined")]
    [InlineData("OrchardCore.Tests.Functional/migrations.recipe.json", "1 content items: 1 created")]
    [InlineData("TheAdmin/blank.recipe.json", "Imported")]
    [InlineData("TheTheme/saas.recipe.json", "Imported")]
    [InlineData("OrchardCore.Contents/exportcontenttodeploymenttarget.recipe.json", "workflows, deployment plans and admin menus")]
    [InlineData("TheBlogTheme/Recipes/blog.sql.query.recipe.json", "search indexes and queries")]
    public async Task ARecipeImportedInTheBrowser_ShowsEachStep(string recipe, string expected)
    {
        var response = await UploadAsync(Path.GetFileName(recipe), await File.ReadAllBytesAsync(Path.Combine(Paths.OrchardRecipes, recipe)));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Imported", html, StringComparison.Ordinal);
        Assert.Contains(expected, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AZippedRecipeFolder_ImportsWithItsFiles()
    {
        // Orchard's blog theme: the recipe names snippets and images in its folder.
        var zip = new MemoryStream();
        System.IO.Compression.ZipFile.CreateFromDirectory(Path.Combine(Paths.OrchardRecipes, "TheBlogTheme"), zip);
        var several = WebUtility.HtmlDecode(await (await UploadAsync("TheBlogTheme.zip", zip.ToArray())).Content.ReadAsStringAsync());
        Assert.Contains("several recipes; name the one to import: Recipes/blog.elastic.query.recipe.json, ", several, StringComparison.Ordinal);
        Assert.Contains("Recipes/blog.recipe.json, Recipes/blog.sql.query.recipe.json", several, StringComparison.Ordinal);
        var response = await UploadAsync("TheBlogTheme.zip", zip.ToArray(), "Recipes/blog.recipe.json");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("3 media files: 3 written", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_app.DataDirectory, "media", "home-bg.jpg")));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_app.DataDirectory, ".staging")));
    }

    [Fact]
    public async Task ABadRecipe_ShowsTheError_AndImportsNothing()
    {
        var response = await UploadAsync("bad.recipe.json",
            """{ "steps": [ { "name": "ContentDefinition", "ContentTypes": [ { "Name": "Temp" } ] }, { "name": "content", "data": [ { "ContentType": "Ghost" } ] } ] }"""u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("nothing was imported", html, StringComparison.Ordinal);
        Assert.Contains("step 1 'content'", html, StringComparison.Ordinal);
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<EmbassyDbContext>().Set<ContentTypeRecord>().AnyAsync(t => t.Name == "Temp"));
    }

    [Fact]
    public async Task TheExport_ImportsIntoAFreshSite_AsTheSameState()
    {
        var export = await _browser.GetAsync("/admin/recipes/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        var folder = TestSite.NewDataDirectory();
        var file = Path.Combine(folder, "export.recipe.json");
        await File.WriteAllBytesAsync(file, await export.Content.ReadAsByteArrayAsync());

        await using var fresh = await TestSite.CreateAsync(TestDatabase.Sqlite);
        await fresh.Services.GetRequiredService<RecipeExecutor>().ImportFileAsync(file, new RecipeImportOptions(), default);

        async Task<string> StateAsync(IServiceProvider services)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
            var types = await db.Set<ContentTypeRecord>().OrderBy(t => t.Name).Select(t => t.Name + t.Definition).ToListAsync();
            var items = await db.Set<ContentItemRecord>().Where(i => i.Latest || i.Published).OrderBy(i => i.ContentItemVersionId)
                .Select(i => $"{i.ContentItemId}/{i.ContentItemVersionId}/{i.ContentType}/{i.DisplayText}/{i.Culture}/{i.Latest}/{i.Published}/{i.Data}").ToListAsync();
            return string.Join('\n', types.Concat(items));
        }
        Assert.Equal(await StateAsync(_app.Services), await StateAsync(fresh.Services));
    }
}
