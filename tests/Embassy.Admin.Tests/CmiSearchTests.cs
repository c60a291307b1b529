using System.Net;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

/// <summary>The CMI's content lists search with the same index as the app (Polish forms, no diacritics needed), drafts
/// included there — but only the items the user may see; the app's search never shows a draft.</summary>
public sealed class CmiSearchTests
{
    [Fact]
    public async Task TheListSearch_FindsDraftsByAnyForm_WithinTheUsersRights_AndTheAppNeverSeesThem()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?> { ["Embassy:Search:PollInterval"] = "00:00:00.050" });
        var admin = await CmiBrowser.SignInAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem("News", new JsonObject
            {
                ["TitlePart"] = new JsonObject { ["Title"] = "Pomoc dla żołnierzy w podróży" },
                ["HtmlBodyPart"] = new JsonObject { ["Html"] = "<p>Nowe zasady wydawania paszportów dla rodzin wojskowych.</p>" },
                ["LocalizationPart"] = new JsonObject { ["Culture"] = "pl" },
            }) { Owner = "someone-else" }, default); // a draft
        }
        string List(string q) => $"/admin/content/News?q={Uri.EscapeDataString(q)}";
        await Eventually.TrueAsync(async () => WebUtility.HtmlDecode(await admin.GetStringAsync(List("zolnierz"))).Contains("Pomoc dla żołnierzy w podróży", StringComparison.Ordinal),
            "the draft found in the CMI", TimeSpan.FromSeconds(45));
        foreach (var q in new[] { "paszport", "żołnierzom", "podrozy" })
        {
            Assert.Contains("Pomoc dla żołnierzy w podróży", WebUtility.HtmlDecode(await admin.GetStringAsync(List(q))), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Pomoc dla żołnierzy w podróży", WebUtility.HtmlDecode(await admin.GetStringAsync(List("ambasada"))), StringComparison.Ordinal);

        // The app's search: published items only.
        var api = app.CreateClient();
        Assert.DoesNotContain("żołnierzy", await api.GetStringAsync("/api/v1/search?q=zolnierz&culture=pl"), StringComparison.Ordinal);

        // An author sees only their own items, found or not.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Create", new Dictionary<string, string> { ["userName"] = "ola", ["password"] = "Strong-Password-1", ["role"] = "Author" })).StatusCode);
        var author = await CmiBrowser.SignInAsync(app, "ola", "Strong-Password-1");
        Assert.DoesNotContain("Pomoc dla żołnierzy w podróży", WebUtility.HtmlDecode(await author.GetStringAsync(List("zolnierz"))), StringComparison.Ordinal);
    }
}
