using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Embassy.EndToEnd.Tests;

/// <summary>
/// The CMI in a real browser: Debian's Chromium driven by Playwright (no browser download), against the
/// application on a real socket. Screenshots of the main screens go to TestResults/screenshots.
/// </summary>
public sealed class CmiInTheBrowserTests : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(Paths.RepositoryRoot, "TestResults", "screenshots");
    private KestrelSite _site = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["MobileApi:HeadPollInterval"] = "00:00:00.050",
            ["Embassy:Video:PollInterval"] = "00:00:00.200",
        }));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
                : throw new InvalidOperationException("Chromium is not installed: scripts/test installs it (apt-get install chromium)."),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _site.DisposeAsync();
    }

    private async Task<IPage> SignInAsync(string user = "admin", string password = EmbassyAppFactory.AdminPassword)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await page.GotoAsync(_site.Url("/admin"));
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("button[type=submit]");
        try
        {
            await page.WaitForURLAsync("**/admin", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (TimeoutException ex)
        {
            // Say where the browser is and what it shows (a sign-in that did not land on the dashboard).
            await ShotAsync(page, "sign-in-failed-" + user);
            var text = await page.InnerTextAsync("body");
            throw new TimeoutException($"{user} did not reach /admin after signing in; the page is {page.Url}: {text[..Math.Min(500, text.Length)]}", ex);
        }
        return page;
    }

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    [Fact]
    public async Task APolishBrowser_GetsTheCmiInPolish_FromSignInToPublishing()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "pl-PL", ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_site.Url("/admin"));
        Assert.Equal("Zaloguj się", (await page.InnerTextAsync("h1")).Trim());
        Assert.Equal("pl", await page.GetAttributeAsync("html", "lang"));
        await ShotAsync(page, "pl-sign-in");
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", "wrong password");
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("Błędna nazwa użytkownika lub hasło.", await page.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", EmbassyAppFactory.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/admin", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("Pulpit", (await page.InnerTextAsync("h1")).Trim());
        Assert.Contains("Wiadomości", await page.InnerTextAsync("nav.types"), StringComparison.Ordinal);
        await ShotAsync(page, "pl-dashboard");

        // An empty news item cannot be published: the message says so in Polish.
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=News"));
        Assert.Equal("Nowy wpis: Wiadomości", (await page.InnerTextAsync("h1")).Trim());
        Assert.Equal("Tytuł", (await page.InnerTextAsync("label[for='TitlePart.Title']")).Trim());
        await page.ClickAsync("div.actions button[formaction*='handler=Publish']");
        Assert.Contains("Aby opublikować, podaj tytuł.", await page.InnerTextAsync(".field-error[data-for='TitlePart.Title']"), StringComparison.Ordinal);
        await page.FillAsync("[name='TitlePart.Title']", "Ambasada zaprasza na Dzień Otwarty");
        await page.SelectOptionAsync("[name='LocalizationPart.Culture']", "pl");
        await page.ClickAsync("div.actions button[formaction*='handler=Publish']");
        await page.WaitForSelectorAsync("[role=status]");
        Assert.Contains("Opublikowano: aplikacja pokaże to w ciągu kilku sekund.", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        await ShotAsync(page, "pl-published");

        // The editor's own choice wins over the browser's language.
        await page.ClickAsync("header a[lang=en]");
        Assert.Equal("Sign out", (await page.InnerTextAsync("header .who button")).Trim());
    }

    [Fact]
    public async Task OnAPhone_NoPageScrollsSideways_AndTheMenuFolds()
    {
        var page = await SignInAsync();
        await page.SetViewportSizeAsync(390, 844);
        await using var scope = _site.App.Services.CreateAsyncScope();
        var newsId = await scope.ServiceProvider.GetRequiredService<Embassy.Content.Services.ContentManager>()
            .CreateAsync(new Embassy.Content.Services.NewContentItem("News", new JsonObject
            {
                ["TitlePart"] = new JsonObject { ["Title"] = "Bardzo długi tytuł wiadomości, który na telefonie musi się zawinąć, a nie wypchnąć stronę w bok" },
                ["LocalizationPart"] = new JsonObject { ["Culture"] = "pl" },
            }) { Publish = true }, default);
        var pages = new[]
        {
            "/admin", "/admin/content/News", $"/admin/content/edit/{newsId.ContentItemId}", "/admin/content/edit/new?type=Alert", "/admin/media",
            "/admin/media/profiles", "/admin/users", "/admin/roles", "/admin/audit", "/admin/settings", "/admin/recipes", "/admin/webhooks",
        };
        var wide = new List<string>();
        foreach (var url in pages)
        {
            await page.GotoAsync(_site.Url(url));
            var (document, viewport) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
            if (document > viewport)
            {
                wide.Add($"{url}: {document} px on a {viewport} px screen");
            }
            await ShotAsync(page, "phone" + url.Replace('/', '-').Replace('?', '-').Replace('=', '-'));
        }
        Assert.Empty(wide);

        // The navigation is folded behind Menu, and opens.
        await page.GotoAsync(_site.Url("/admin"));
        Assert.False(await page.IsVisibleAsync("nav.types a[href='/admin/media']"));
        await page.ClickAsync("header button.menu");
        Assert.True(await page.IsVisibleAsync("nav.types a[href='/admin/media']"));
        Assert.True(await page.IsVisibleAsync("nav.types a[href='/admin/content/Video']"));
        await ShotAsync(page, "phone-menu-open");

        // On a long form the actions stay in view at the bottom of the screen.
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=Event"));
        var publish = await page.Locator("div.actions button[formaction*='handler=Publish']").BoundingBoxAsync();
        Assert.NotNull(publish);
        Assert.True(publish!.Y + publish.Height <= 800, $"Publish is at {publish.Y} px on an 800 px screen");
    }

    private const string RedPixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

    /// <summary>A new News editor uploads a one-pixel picture through its picture picker; the library path it got.</summary>
    private static async Task<string> UploadThroughNewsPickerAsync(IPage page, KestrelSite site, string picture)
    {
        await page.GotoAsync(site.Url("/admin/content/edit/new?type=News"));
        await page.SetInputFilesAsync("[id='News.Image-upload']", picture);
        var path = "news/" + Path.GetFileName(picture);
        await page.WaitForSelectorAsync($"#News\\.Image input[value='{path}']:checked");
        return path;
    }

    [Fact]
    public async Task APicker_UploadsANewPicture_AndChoosesIt_AndAFileTheLibraryHasIsChosenWhereItIs()
    {
        var page = await SignInAsync();
        var picture = Path.Combine(Path.GetTempPath(), $"picker-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(picture, Convert.FromBase64String(RedPixelPng));
        try
        {
            var path = await UploadThroughNewsPickerAsync(page, _site, picture);
            Assert.Contains("status-published", await page.GetAttributeAsync(".media-upload .upload-status", "class"), StringComparison.Ordinal);
            // Its alternative text is asked for at once (news pictures need one to be published).
            var alt = $"[id='News.Image.Text:{path}']";
            await page.WaitForSelectorAsync(alt);
            await ShotAsync(page, "picker-uploaded");
            using var app = new HttpClient { BaseAddress = _site.Address };
            Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/media/" + path)).StatusCode); // in the library, served
            await page.FillAsync("[id='TitlePart.Title']", "Czerwony kwadrat");
            await page.FillAsync(alt, "Czerwony kwadrat na białym tle");
            await page.ClickAsync("div.actions button[formaction*='handler=Publish']");
            await page.WaitForSelectorAsync(".status-published[role=status]");
            var id = page.Url.Split('/')[^1];
            var item = await app.GetFromJsonAsync<JsonObject>($"/api/v1/items/{id}");
            Assert.Equal("Czerwony kwadrat na białym tle", (string?)item!["fields"]!["image"]![0]!["alt"]);

            // The same picture again, under another name: the library's copy is chosen, not a second one.
            var copy = Path.Combine(Path.GetTempPath(), $"again-{Guid.NewGuid():N}.png");
            File.Copy(picture, copy);
            try
            {
                await page.GotoAsync(_site.Url("/admin/content/edit/new?type=News"));
                await page.SetInputFilesAsync("[id='News.Image-upload']", copy);
                await page.WaitForSelectorAsync($"#News\\.Image input[value='{path}']:checked");
                Assert.Contains(path, await page.TextContentAsync(".media-upload .upload-status"), StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/media/news/" + Path.GetFileName(copy))).StatusCode);
            }
            finally
            {
                File.Delete(copy);
            }
        }
        finally
        {
            File.Delete(picture);
        }
    }

    /// <summary>
    /// Section 508 asks WCAG 2.0 AA of federal systems (2.1 is current practice): axe-core's A and AA rules on every CMI
    /// page, signed out and in, with no serious or critical violation.
    /// </summary>
    [Fact]
    public async Task EveryCmiPage_PassesAxeCoresWcagAAndAARules()
    {
        var options = new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        };
        var found = new List<string>();
        async Task CheckAsync(IPage page, string url)
        {
            await page.GotoAsync(_site.Url(url));
            var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page, options);
            found.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{url}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target.ToString()))}"));
        }
        var anonymous = await _browser.NewPageAsync();
        await CheckAsync(anonymous, "/admin/login");
        await CheckAsync(anonymous, "/");
        var page = await SignInAsync();
        string[] types = ["News", "Alert", "Event", "ConsularService", "Office", "Page", "Faq", "Video"];
        var pages = new List<string> { "/admin", "/admin/media", "/admin/media/profiles", "/admin/previews", "/admin/users", "/admin/roles", "/admin/audit",
            "/admin/settings", "/admin/recipes", "/admin/webhooks", "/admin/account/two-factor", "/admin/status/404", "/admin/denied", $"/admin/content/edit/{TestContent.AlertEnglish.Id}" };
        pages.AddRange(types.Select(t => $"/admin/content/{t}"));
        pages.AddRange(types.Select(t => $"/admin/content/edit/new?type={t}"));
        // A webhook endpoint with a test sent (refused: loopback is not allowed here, so nothing leaves the machine), for its log page.
        await page.GotoAsync(_site.Url("/admin/webhooks"));
        await page.FillAsync("#url", "https://127.0.0.1:9/axe-check");
        await page.ClickAsync("button:has-text('Add the endpoint')");
        await page.WaitForSelectorAsync("#new-secret");
        await page.Locator("button:has-text('Send a test')").First.ClickAsync();
        await page.WaitForSelectorAsync("text=Test not delivered");
        pages.Add((await page.Locator("a[href^='/admin/webhooks/']").First.GetAttributeAsync("href"))!);
        foreach (var url in pages)
        {
            await CheckAsync(page, url);
        }
        Assert.True(found.Count == 0, $"{found.Count} serious or critical violations on {pages.Count + 2} pages:\n" + string.Join("\n", found));
    }

    [Fact]
    public async Task AnAlert_IsWrittenAndPublished_WithTheKeyboardAlone()
    {
        var page = await SignInAsync();
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=Alert"));
        // From the top of the page, Tab moves through the form in order; nothing is clicked.
        async Task TabToAsync(string selector)
        {
            for (var i = 0; i < 120; i++)
            {
                await page.Keyboard.PressAsync("Tab");
                if (await page.EvaluateAsync<bool>("s => document.activeElement && document.activeElement.matches(s)", selector))
                {
                    return;
                }
            }
            throw new InvalidOperationException($"Tab never reached {selector}");
        }
        await TabToAsync("[name='TitlePart.Title']");
        await page.Keyboard.TypeAsync("Road closures near the embassy");
        await TabToAsync("[name='Alert.Severity']");
        await page.Keyboard.PressAsync("ArrowDown"); // the first severity
        await TabToAsync("[name='MarkdownBodyPart.Markdown']");
        await page.Keyboard.TypeAsync("Avoid Piękna street on Monday.");
        await TabToAsync("button[formaction*='handler=Publish']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("text=Published: the app shows it within seconds.");
        await ShotAsync(page, "keyboard-alert-published");
        var id = page.Url.Split('/')[^1];
        using var app = new HttpClient { BaseAddress = _site.Address };
        Assert.Equal("Road closures near the embassy", (string?)(await app.GetFromJsonAsync<JsonObject>($"/api/v1/items/{id}"))!["title"]);
    }

    [Fact]
    public async Task BoldTextAndALink_TypedInTheHtmlEditor_ReachTheApp_SanitizedAndAsBlocks()
    {
        var page = await SignInAsync();
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=Page"));
        await page.FillAsync("[name='TitlePart.Title']", "Visa appointments");
        var editor = page.Locator(".trumbowyg-editor").First;
        await editor.ClickAsync();
        await page.Keyboard.TypeAsync("Book early on our site");
        async Task SelectAsync(int from, int length)
        {
            await page.Keyboard.PressAsync("Home");
            for (var i = 0; i < from; i++) await page.Keyboard.PressAsync("ArrowRight");
            for (var i = 0; i < length; i++) await page.Keyboard.PressAsync("Shift+ArrowRight");
        }
        await SelectAsync("Book ".Length, "early".Length);
        await page.ClickAsync(".trumbowyg-button-pane button.trumbowyg-strong-button");
        await SelectAsync("Book early on our ".Length, "site".Length);
        await page.ClickAsync(".trumbowyg-button-pane button.trumbowyg-link-button");
        await page.ClickAsync(".trumbowyg-dropdown-link button.trumbowyg-createLink-dropdown-button");
        await page.FillAsync(".trumbowyg-modal input[name='url']", "https://pl.usembassy.gov/visas/");
        await ShotAsync(page, "wysiwyg-link");
        await page.ClickAsync(".trumbowyg-modal .trumbowyg-modal-submit");
        await ShotAsync(page, "wysiwyg");
        await page.ClickAsync("div.actions button[formaction*='handler=Publish']");
        await page.WaitForSelectorAsync("text=Published: the app shows it within seconds.");
        var id = page.Url.Split('/')[^1];

        using var app = new HttpClient { BaseAddress = _site.Address };
        var html = (string?)(await app.GetFromJsonAsync<JsonObject>($"/api/v1/items/{id}"))!["fields"]!["body"];
        Assert.Contains("<strong>early</strong>", html, StringComparison.Ordinal);
        Assert.Matches("<a href=\"https://pl.usembassy.gov/visas/\"[^>]*>site</a>", html);
        var blocks = (await app.GetFromJsonAsync<JsonObject>($"/api/v1/items/{id}?richText=blocks"))!["fields"]!["body"]!.AsArray();
        var inlines = blocks.SelectMany(b => b!["children"]?.AsArray() ?? []).ToList();
        Assert.Contains(inlines, i => (string?)i!["text"] == "early" && (bool?)i["bold"] == true);
        Assert.Contains(inlines, i => (string?)i!["type"] == "link" && (string?)i["href"] == "https://pl.usembassy.gov/visas/");
    }

    [Fact]
    public async Task APictureFromTheLibrary_GoesIntoTheHtmlEditor_WithItsAltText()
    {
        var page = await SignInAsync();
        var picture = Path.Combine(Path.GetTempPath(), $"library-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(picture, Convert.FromBase64String(RedPixelPng));
        try
        {
            // Into the library first (through a picker's upload), then a new page lists it in the editor's dialog.
            var path = await UploadThroughNewsPickerAsync(page, _site, picture);
            await page.GotoAsync(_site.Url("/admin/content/edit/new?type=Page"));
            await page.FillAsync("[name='TitlePart.Title']", "With a picture");
            await page.Locator(".trumbowyg-editor").First.ClickAsync();
            await page.Keyboard.TypeAsync("Our building:");
            await page.ClickAsync(".trumbowyg-button-pane button.trumbowyg-libraryPicture-button");
            // Inserting without an alt text is refused in the dialog.
            await page.CheckAsync($"#library-picture input[value='/media/{path}']");
            await page.ClickAsync("#library-picture button[value='insert']");
            await page.WaitForSelectorAsync("#library-picture .library-picture-error:not([hidden])");
            await page.FillAsync("#library-picture-alt", "The embassy building on Piękna street");
            await ShotAsync(page, "wysiwyg-library-picture");
            await page.ClickAsync("#library-picture button[value='insert']");
            await page.WaitForSelectorAsync(".trumbowyg-editor img[alt='The embassy building on Piękna street']");
            await page.ClickAsync("div.actions button[formaction*='handler=Publish']");
            await page.WaitForSelectorAsync("text=Published: the app shows it within seconds.");
            var id = page.Url.Split('/')[^1];
            using var app = new HttpClient { BaseAddress = _site.Address };
            var blocks = (await app.GetFromJsonAsync<JsonObject>($"/api/v1/items/{id}?richText=blocks"))!["fields"]!["body"]!.AsArray();
            Assert.Contains(blocks, b => (string?)b!["type"] == "image" && (string?)b["src"] == $"/media/{path}" && (string?)b["alt"] == "The embassy building on Piękna street");
        }
        finally
        {
            File.Delete(picture);
        }
    }

    [Fact]
    public async Task APreviewLink_ShowsADraftInTheApp_AndNothingWithoutIt_OrOnceRevoked()
    {
        var page = await SignInAsync();
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=Faq"));
        await page.FillAsync("[name='TitlePart.Title']", "Draft: embassy closed on Monday");
        await page.ClickAsync("button:has-text('Save draft')");
        await page.WaitForSelectorAsync("text=Draft saved.");
        var id = page.Url.Split('/')[^1];
        await page.ClickAsync("#preview-in-app button[type=submit]");
        await page.WaitForSelectorAsync("#new-preview img[src^='data:image/png;base64,']");
        await ShotAsync(page, "preview-link");
        var link = await page.InputValueAsync("#preview-link");
        Assert.Contains($"/api/v1/items/{id}?preview=pv_", link, StringComparison.Ordinal);

        using var app = new HttpClient();
        var draft = await app.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        Assert.Equal("Draft: embassy closed on Monday", (string?)(await draft.Content.ReadFromJsonAsync<JsonObject>())!["title"]);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync(link[..link.IndexOf('?', StringComparison.Ordinal)])).StatusCode);

        await page.ClickAsync("button:has-text('Revoke')");
        await page.WaitForSelectorAsync("text=Preview link revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task APolishTranslation_IsMarkedOutdated_AfterTheEnglishItemIsEdited_AndShowsTheEnglishBesideIt()
    {
        var page = await SignInAsync();
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=Faq"));
        await page.FillAsync("[name='TitlePart.Title']", "How do I renew a passport?");
        await page.SelectOptionAsync("[name='LocalizationPart.Culture']", "en");
        await page.ClickAsync("button:has-text('Save draft')");
        await page.WaitForSelectorAsync("text=Draft saved.");
        var englishId = page.Url.Split('/')[^1];
        await page.ClickAsync("button:has-text('Create pl translation')");
        await page.WaitForSelectorAsync("text=Translation (pl) created as a draft");
        var polishId = page.Url.Split('/')[^1];
        await page.FillAsync("[name='TitlePart.Title']", "Jak odnowić paszport?");
        await page.ClickAsync("button:has-text('Save draft')");
        await page.WaitForSelectorAsync("text=Draft saved.");
        Assert.False(await page.IsVisibleAsync("#outdated"));

        // The English changes: the Polish is now behind, in the list, on the dashboard and in its editor.
        await page.GotoAsync(_site.Url($"/admin/content/edit/{englishId}"));
        await page.FillAsync("[name='TitlePart.Title']", "How do I renew or replace a passport?");
        await page.ClickAsync("button:has-text('Save draft')");
        await page.WaitForSelectorAsync("text=Draft saved.");
        await page.GotoAsync(_site.Url("/admin/content/Faq"));
        var row = page.Locator("tr", new PageLocatorOptions { Has = page.Locator($"a[href='/admin/content/edit/{polishId}']") });
        Assert.True(await row.Locator(".outdated").IsVisibleAsync());
        Assert.False(await page.Locator("tr", new PageLocatorOptions { Has = page.Locator($"a[href='/admin/content/edit/{englishId}']") }).Locator(".outdated").IsVisibleAsync());
        await ShotAsync(page, "translation-outdated-list");
        await page.GotoAsync(_site.Url("/admin"));
        Assert.True(await page.IsVisibleAsync($"#outdated a[href='/admin/content/edit/{polishId}']"));
        await page.GotoAsync(_site.Url($"/admin/content/edit/{polishId}"));
        Assert.True(await page.IsVisibleAsync("#outdated"));
        Assert.Contains("How do I renew or replace a passport?", await page.InnerTextAsync("#other-en"), StringComparison.Ordinal);
        // Beside the form, not below it: the English starts right of the form, level with its top.
        var form = (await page.Locator("form[data-guard-unsaved]").BoundingBoxAsync())!;
        var english = (await page.Locator("#other-en").BoundingBoxAsync())!;
        Assert.True(english.X >= form.X + form.Width && english.Y < form.Y + 50, $"form {form.X},{form.Y} {form.Width}; English {english.X},{english.Y}");
        await ShotAsync(page, "translation-outdated-editor");

        // Brought up to date: no longer marked, and the English is not marked in turn.
        await page.FillAsync("[name='TitlePart.Title']", "Jak odnowić lub wymienić paszport?");
        await page.ClickAsync("button:has-text('Save draft')");
        await page.WaitForSelectorAsync("text=Draft saved.");
        Assert.False(await page.IsVisibleAsync("#outdated"));
        await page.GotoAsync(_site.Url("/admin/content/Faq"));
        Assert.Equal(0, await page.Locator(".outdated").CountAsync());
    }

    [Fact]
    public async Task AnEditor_WritesPolishNews_AddsTheEnglishTranslation_Publishes_UploadsAVideo_AndTheAppSeesIt()
    {
        var page = await SignInAsync();
        await ShotAsync(page, "dashboard");

        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=News"));
        await page.FillAsync("[name='TitlePart.Title']", "Konsulat w Krakowie zamknięty w piątek");
        await page.FillAsync("[name='News.Summary']", "W piątek konsulat będzie nieczynny.");
        await page.SelectOptionAsync("[name='LocalizationPart.Culture']", "pl");
        await ShotAsync(page, "editor");
        await page.ClickAsync("button:has-text('Publish')");
        await page.WaitForSelectorAsync("text=Published: the app shows it within seconds.");
        var polishId = page.Url.Split('/')[^1];

        await page.ClickAsync("button:has-text('Create en translation')");
        await page.WaitForSelectorAsync("text=Translation (en) created as a draft");
        await page.FillAsync("[name='TitlePart.Title']", "Krakow consulate closed on Friday");
        await page.FillAsync("[name='News.Summary']", "The consulate is closed on Friday.");
        await page.ClickAsync("button:has-text('Publish')");
        await page.WaitForSelectorAsync("text=Published: the app shows it within seconds.");
        await ShotAsync(page, "translation");

        // The upload's progress bar reaches the end; packaging follows.
        await page.GotoAsync(_site.Url("/admin/media"));
        await page.EvaluateAsync("() => { window.sameDocument = true; }"); // to show the list is not reloaded
        await page.FillAsync("#folder", "videos");
        await page.SetInputFilesAsync("#files", await TestVideos.SixtySecondsAsync());
        await page.ClickAsync("#upload button[type=submit]");
        // Checked in one look.
        await page.WaitForFunctionAsync("() => { const p = document.querySelector('#uploads progress'); return !!document.querySelector('#uploads li span.status-published') && p && p.value === 100; }",
            null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 20 });
        await ShotAsync(page, "media-uploaded");
        await page.WaitForSelectorAsync("tr.just-uploaded td a[href^='/media/videos/']"); // the library lists it at once, without a reload
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"));
        // Packaging is followed live on the page (no reload): the status turns ready and a player with the poster appears.
        await page.WaitForSelectorAsync(".video-status[data-video-status='ready'] video", new PageWaitForSelectorOptions { Timeout = 90_000 });
        // It plays the HLS package, as the app does, through the vendored hls.js (Chromium has no HLS of its own).
        await page.WaitForSelectorAsync(".video-status video[data-player='hls.js']");
        Assert.EndsWith("/index.m3u8", await page.GetAttributeAsync(".video-status video", "data-hls"), StringComparison.Ordinal);
        await page.EvaluateAsync("() => { const v = document.querySelector('.video-status video'); v.muted = true; return v.play(); }");
        await page.WaitForFunctionAsync("() => document.querySelector('.video-status video').currentTime > 0.5", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        await ShotAsync(page, "media-video-ready");

        using var app = new HttpClient { BaseAddress = _site.Address };
        JsonObject? english = null;
        for (var i = 0; i < 100 && (string?)english?["title"] != "Krakow consulate closed on Friday"; i++)
        {
            var response = await app.GetAsync($"/api/v1/items/{polishId}?culture=en");
            english = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            await Task.Delay(50);
        }
        Assert.Equal("Krakow consulate closed on Friday", (string?)english?["title"]);
        Assert.Equal(polishId, (string?)english!["translations"]!["pl"]);
        var videos = await app.GetFromJsonAsync<JsonArray>("/api/v1/videos");
        for (var i = 0; i < 300 && videos!.Count == 0; i++)
        {
            await Task.Delay(200);
            videos = await app.GetFromJsonAsync<JsonArray>("/api/v1/videos");
        }
        Assert.Equal("/media/videos/" + Path.GetFileName(await TestVideos.SixtySecondsAsync()), (string?)videos!.Single()!["streamUrl"]);
    }

    /// <summary>Two editors (two browser contexts) open the same item; the first saves; the second's save is refused,
    /// nothing of it is written, and the page shows both texts side by side.</summary>
    [Fact]
    public async Task TwoEditorsOnOneItem_TheSecondSaveIsRefused_AndShowsTheDifference()
    {
        var first = await SignInAsync();
        await first.GotoAsync(_site.Url("/admin/content/edit/new?type=News"));
        await first.FillAsync("[name='TitlePart.Title']", "Godziny pracy konsulatu");
        await first.FillAsync("[name='News.Summary']", "Wersja wyjściowa.");
        await first.ClickAsync("button:has-text('Save draft')");
        await first.WaitForSelectorAsync("text=Draft saved.");
        var url = first.Url;

        var second = await SignInAsync();
        await second.GotoAsync(url);
        await first.GotoAsync(url);
        await first.FillAsync("[name='News.Summary']", "Zmiana pierwszego redaktora.");
        await first.ClickAsync("button:has-text('Save draft')");
        await first.WaitForSelectorAsync("text=Draft saved.");

        await second.FillAsync("[name='News.Summary']", "Zmiana drugiego redaktora.");
        await second.ClickAsync("button:has-text('Save draft')");
        await second.WaitForSelectorAsync("#conflict");
        var conflict = await second.InnerTextAsync("#conflict");
        Assert.Contains("Zmiana pierwszego redaktora.", conflict, StringComparison.Ordinal);
        Assert.Contains("Zmiana drugiego redaktora.", conflict, StringComparison.Ordinal);
        Assert.Contains("Nothing of yours was saved", await second.InnerTextAsync("body"), StringComparison.Ordinal);
        await ShotAsync(second, "edit-conflict");
        await first.ReloadAsync();
        Assert.Equal("Zmiana pierwszego redaktora.", await first.InputValueAsync("[name='News.Summary']"));
    }

    /// <summary>A time typed in an American-English browser is the site's (Europe/Warsaw): 10:00 in January is 09:00 UTC,
    /// and the form shows 10:00 again.</summary>
    [Fact]
    public async Task ATimeTyped_IsTheSitesZone_WhateverTheBrowsersLanguage()
    {
        var page = await SignInAsync();
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=Alert"));
        await page.FillAsync("[name='TitlePart.Title']", "Planned closure");
        await page.SelectOptionAsync("[name='Alert.Severity']", "info");
        await page.FillAsync("[name='PublishLaterPart.ScheduledPublishUtc']", "2027-01-15 10:00");
        await page.ClickAsync("button:has-text('Save draft')");
        await page.WaitForSelectorAsync("text=Draft saved.");
        Assert.Equal("2027-01-15 10:00", await page.InputValueAsync("[name='PublishLaterPart.ScheduledPublishUtc']"));
        await ShotAsync(page, "time-zone");
        await using var scope = _site.App.Services.CreateAsyncScope();
        var item = await scope.ServiceProvider.GetRequiredService<Embassy.Content.Services.ContentManager>().GetLatestAsync(page.Url.Split('/')[^1], default);
        Assert.Equal("2027-01-15T09:00:00Z", (string?)item!.Content["PublishLaterPart"]!["ScheduledPublishUtc"]);
    }

    /// <summary>A message next to an input goes once the editor changes that input; a new item's heading names its type once.</summary>
    [Fact]
    public async Task AFieldsMessage_ClearsWhenTheFieldIsChanged()
    {
        var page = await SignInAsync();
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=ConsularService"));
        await page.ClickAsync("button:has-text('Publish')"); // no title
        var message = page.Locator(".field-error[data-for='TitlePart.Title']");
        await message.WaitForAsync();
        Assert.Equal("true", await page.GetAttributeAsync("[name='TitlePart.Title']", "aria-invalid"));
        await page.FillAsync("[name='TitlePart.Title']", "Wizy");
        await message.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
        Assert.Null(await page.GetAttributeAsync("[name='TitlePart.Title']", "aria-invalid"));
        Assert.Equal("New Consular service", (await page.InnerTextAsync("h1")).Trim()); // not "New Consular service ConsularService"
    }

    [Fact]
    public async Task AnAuthor_CannotPublish()
    {
        await using (var scope = _site.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var author = new IdentityUser("author");
            Assert.True((await users.CreateAsync(author, "Author-Password-1")).Succeeded);
            Assert.True((await users.AddToRoleAsync(author, "Author")).Succeeded);
        }
        var page = await SignInAsync("author", "Author-Password-1");
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=News"));
        await page.FillAsync("[name='TitlePart.Title']", "Szkic autora");
        // No publish button for an author (a forged publish is refused: see Embassy.Admin.Tests); drafts save.
        Assert.Equal(0, await page.Locator("button:has-text('Publish')").CountAsync());
        await page.WaitForSelectorAsync("text=An editor publishes it: you may save drafts.");
        await page.ClickAsync("button:has-text('Save draft')");
        await page.WaitForSelectorAsync("text=Draft saved.");
        await ShotAsync(page, "author-draft");
    }

    [Fact]
    public async Task AnAdministrator_AddsAUser_SeesRolesSettingsAndTheAuditLog_AndPreviewsMarkdown()
    {
        var page = await SignInAsync();
        await page.GotoAsync(_site.Url("/admin/users"));
        await page.FillAsync("#userName", "maria");
        await page.FillAsync("#password", "Maria-Password-1");
        await page.SelectOptionAsync("#role", "Editor");
        await page.ClickAsync("button:has-text('Create user')");
        await page.WaitForSelectorAsync("text=User maria created.");
        await ShotAsync(page, "users");
        await page.GotoAsync(_site.Url("/admin/roles"));
        await page.WaitForSelectorAsync("h2:has-text('Editor')");
        await ShotAsync(page, "roles");
        await page.GotoAsync(_site.Url("/admin/settings"));
        await page.WaitForSelectorAsync("#siteName");
        await ShotAsync(page, "settings");

        // The markdown preview is rendered by the server and shown by the editor script.
        await page.GotoAsync(_site.Url("/admin/content/edit/new?type=Alert"));
        await page.FillAsync("[name='MarkdownBodyPart.Markdown']", "**Uwaga:** zmiana godzin.");
        await page.ClickAsync("[data-preview-for='MarkdownBodyPart.Markdown']");
        await page.WaitForSelectorAsync("#MarkdownBodyPart\\.Markdown-preview strong:has-text('Uwaga:')");
        await ShotAsync(page, "markdown-preview");

        await page.GotoAsync(_site.Url("/admin/audit"));
        await page.WaitForSelectorAsync("td:has-text('user.create')");
        await ShotAsync(page, "audit");
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_site.Url("/admin/login"));
        for (var i = 0; i < 5; i++)
        {
            await page.FillAsync("#UserName", "admin");
            await page.FillAsync("#Password", "Wrong-Password-9");
            await page.ClickAsync("button[type=submit]");
            await page.WaitForSelectorAsync("[role=alert]");
        }
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", EmbassyAppFactory.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("text=locked from this address for 15 minutes");
        await ShotAsync(page, "locked");
    }

    /// <summary>Security issue: an administrator enrols an authenticator (the test computes the code from the shared key as
    /// the app would), signs out, and signs in with password and code; a wrong code is refused.</summary>
    [Fact]
    public async Task AnAdministrator_EnrolsAnAuthenticator_AndSignsInWithACode()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Security:RequireTwoFactorFor"] = "Administrator",
        }));
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await page.GotoAsync(site.Url("/admin"));
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", EmbassyAppFactory.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/admin/account/two-factor");
        await page.WaitForSelectorAsync("img[alt='QR code for the authenticator app']");
        await ShotAsync(page, "two-factor-enrol");
        var key = await page.GetAttributeAsync("#key", "data-key");
        Assert.False(string.IsNullOrEmpty(key));
        await page.FillAsync("#code", Totp.Code(key!));
        await page.ClickAsync("text=Turn on");
        await page.WaitForSelectorAsync("#recovery-codes");
        await ShotAsync(page, "two-factor-recovery-codes");

        await page.ClickAsync("text=Sign out");
        await page.GotoAsync(site.Url("/admin"));
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", EmbassyAppFactory.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/admin/login/code**");
        await page.FillAsync("#Code", "000000");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("text=That code is not valid");
        await ShotAsync(page, "two-factor-wrong-code");
        // The next step's code: the one that turned it on was used (each code is accepted once).
        await page.FillAsync("#Code", Totp.Code(key!, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/admin", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.WaitForSelectorAsync("text=Sign out");
        await ShotAsync(page, "two-factor-signed-in");
    }
}
