using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

/// <summary>
/// The security issue's findings, each tried as the attacker did, against the whole application: rights (schedules,
/// escalation, ownership, dashboard scope), sign-in throttling, CSRF, headers, rate limits and management access.
/// Each test failed on the code before the fix (see SECURITY.md for the map of controls to tests).
/// </summary>
public sealed partial class SecurityTests : IAsyncLifetime
{
    private EmbassyAppFactory _app = null!;

    public async Task InitializeAsync() =>
        _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["MobileApi:HeadPollInterval"] = "00:00:00.050",
            ["Embassy:Scheduler:Interval"] = "01:00:00", // the tests run the scheduler themselves
        });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private Task<HttpClient> AdminAsync() => CmiBrowser.SignInAsync(_app);

    private static async Task CreateUserAsync(HttpClient admin, string name, string role)
    {
        var created = await admin.PostFormAsync("/admin/users", "Create", Form(("userName", name), ("password", "Strong-Password-1"), ("role", role)));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
    }

    private async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private Task<string> UserIdAsync(string name) =>
        WithServicesAsync(async sp => (await sp.GetRequiredService<UserManager<IdentityUser>>().FindByNameAsync(name))!.Id);

    private static string IdOf(HttpResponseMessage saved) => saved.Headers.Location!.OriginalString.Split('/')[^1];

    private Task<Embassy.Content.Models.ContentItem?> LatestAsync(string id) =>
        WithServicesAsync(sp => sp.GetRequiredService<ContentManager>().GetLatestAsync(id, default));

    private Task<int> RunSchedulerAsync() => WithServicesAsync(sp => sp.GetRequiredService<ContentManager>().RunSchedulesAsync(default));

    // Finding 1: an Author published by scheduling.
    [Fact]
    public async Task AnAuthor_CannotPublishByScheduling_InTheFormOrTheCore()
    {
        var admin = await AdminAsync();
        await CreateUserAsync(admin, "autor", "Author");
        var author = await CmiBrowser.SignInAsync(_app, "autor", "Strong-Password-1");
        Assert.DoesNotContain("PublishLaterPart.ScheduledPublishUtc", await author.GetStringAsync("/admin/content/edit/new?type=Alert"), StringComparison.Ordinal);
        Assert.Contains("PublishLaterPart.ScheduledPublishUtc", await admin.GetStringAsync("/admin/content/edit/new?type=Alert"), StringComparison.Ordinal);

        // A forged field is not an input of the author's form: the draft has no schedule, and nothing goes live.
        var saved = await author.PostFormAsync("/admin/content/edit/new?type=Alert", "Save", Form(("type", "Alert"), ("TitlePart.Title", "Fałszywy alert"),
            ("LocalizationPart.Culture", "pl"), ("Alert.Severity", "critical"), ("PublishLaterPart.ScheduledPublishUtc", "2020-01-01T00:00")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = IdOf(saved);
        Assert.Null((await LatestAsync(id))!.Content["PublishLaterPart"]?["ScheduledPublishUtc"]);
        await RunSchedulerAsync();
        Assert.False((await LatestAsync(id))!.Published);

        // The core refuses the same change from any path that acts as the author (an API, a future form).
        var authorId = await UserIdAsync("autor");
        var refused = await WithServicesAsync(async sp =>
        {
            var principal = await sp.GetRequiredService<UserRights>().PrincipalAsync(authorId);
            sp.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { User = principal!, RequestServices = sp };
            var content = (JsonObject)(await LatestAsync(id))!.Content.DeepClone();
            content["PublishLaterPart"] = new JsonObject { ["ScheduledPublishUtc"] = "2020-01-01T00:00:00Z" };
            return await Assert.ThrowsAsync<ContentValidationException>(() => sp.GetRequiredService<ContentManager>().UpdateDraftAsync(id, content, "autor", default));
        });
        Assert.Contains("only someone who may publish Alert items can schedule them", refused.Message, StringComparison.Ordinal);
        Assert.False((await LatestAsync(id))!.Published);

        // An editor schedules the author's draft; the author edits it afterwards: the version now scheduled is the
        // author's, and the scheduler does not publish it. Saved again by the editor, it goes live.
        var schedule = Form(("TitlePart.Title", "Alert"), ("LocalizationPart.Culture", "pl"), ("Alert.Severity", "warning"), ("PublishLaterPart.ScheduledPublishUtc", "2020-01-01T00:00"));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/admin/content/edit/{id}", "Save", schedule)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await author.PostFormAsync($"/admin/content/edit/{id}", "Save",
            Form(("TitlePart.Title", "Alert, zmieniony przez autora"), ("LocalizationPart.Culture", "pl"), ("Alert.Severity", "critical")))).StatusCode);
        Assert.Equal(0, await RunSchedulerAsync());
        Assert.False((await LatestAsync(id))!.Published);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/admin/content/edit/{id}", "Save", schedule)).StatusCode);
        Assert.Equal(1, await RunSchedulerAsync());
        Assert.True((await LatestAsync(id))!.Published);

        // An editor's schedule is not honoured once the editor may no longer publish (demoted or locked).
        await CreateUserAsync(admin, "redaktor", "Editor");
        var editor = await CmiBrowser.SignInAsync(_app, "redaktor", "Strong-Password-1");
        var later = await editor.PostFormAsync("/admin/content/edit/new?type=Alert", "Save", Form(("type", "Alert"), ("TitlePart.Title", "Zaplanowany"),
            ("LocalizationPart.Culture", "pl"), ("Alert.Severity", "warning"), ("PublishLaterPart.ScheduledPublishUtc", "2020-01-01T00:00")));
        var laterId = IdOf(later);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Lock", Form(("id", await UserIdAsync("redaktor")), ("locked", "true")))).StatusCode);
        Assert.Equal(0, await RunSchedulerAsync());
        Assert.False((await LatestAsync(laterId))!.Published);
    }

    // Finding 2: ManageUsers was Administrator; ManageRoles granted anything; recipes could write any permission.
    [Fact]
    public async Task UserAndRoleManagers_CannotGrantWhatTheyDoNotHold_NorTouchAdministrators()
    {
        var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/roles", "Create", Form(("name", "UserDesk")))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/roles", "Save",
            [new("role", "UserDesk"), new("permissions", "ManageUsers"), new("permissions", "ManageRoles")])).StatusCode);
        await CreateUserAsync(admin, "kadry", "UserDesk");
        var desk = await CmiBrowser.SignInAsync(_app, "kadry", "Strong-Password-1");
        var selfId = await UserIdAsync("kadry");
        var adminId = await UserIdAsync("admin");

        var escalate = await desk.PostFormAsync("/admin/users", "Roles", [new("id", selfId), new("roleNames", "UserDesk"), new("roleNames", "Administrator")]);
        Assert.Equal(HttpStatusCode.Forbidden, escalate.StatusCode);
        var asEditor = await desk.PostFormAsync("/admin/users", "Create", Form(("userName", "nowy"), ("password", "Strong-Password-1"), ("role", "Editor")));
        Assert.Equal(HttpStatusCode.Forbidden, asEditor.StatusCode); // Editor holds PublishContent, which kadry does not
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PostFormAsync("/admin/users", "Password", Form(("id", adminId), ("password", "Hijacked-Password-1")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PostFormAsync("/admin/users", "Lock", Form(("id", adminId), ("locked", "true")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PostFormAsync("/admin/users", "Delete", Form(("id", adminId), ("confirmDelete", "true")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PostFormAsync("/admin/users", "ResetTwoFactor", Form(("id", adminId)))).StatusCode);
        var grant = await desk.PostFormAsync("/admin/roles", "Save",
            [new("role", "UserDesk"), new("permissions", "ManageUsers"), new("permissions", "ManageRoles"), new("permissions", "PublishContent")]);
        Assert.Equal(HttpStatusCode.Forbidden, grant.StatusCode);
        Assert.Contains("PublishContent", WebUtility.HtmlDecode(await grant.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await CmiBrowser.SignInAsync(_app); // the administrator's password is unchanged, and the account is not locked
        var roles = await WithServicesAsync(async sp => await sp.GetRequiredService<UserManager<IdentityUser>>().GetRolesAsync((await sp.GetRequiredService<UserManager<IdentityUser>>().FindByIdAsync(selfId))!));
        Assert.DoesNotContain("Administrator", roles);

        // What they do hold, they may give: a role with ManageUsers only, to a new user.
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostFormAsync("/admin/users", "Create", Form(("userName", "pomocnik"), ("password", "Strong-Password-1"), ("role", "UserDesk")))).StatusCode);

        // Importing recipes (which can write roles, content and settings) is for Administrators only, even with the permission.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/roles", "Create", Form(("name", "Importer")))).StatusCode);
        await WithServicesAsync(async sp =>
        {
            var roleManager = sp.GetRequiredService<RoleManager<IdentityRole>>();
            await roleManager.AddClaimAsync((await roleManager.FindByNameAsync("Importer"))!, new Claim(Permissions.ClaimType, Permissions.ImportRecipes));
            return true;
        });
        await CreateUserAsync(admin, "importer", "Importer");
        var importer = await CmiBrowser.SignInAsync(_app, "importer", "Strong-Password-1");
        var recipes = await importer.GetAsync("/admin/recipes");
        Assert.Equal(HttpStatusCode.Redirect, recipes.StatusCode);
        Assert.StartsWith("/admin/denied", recipes.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    // Finding 6: Authors opened items without an owner; ownership followed the user name.
    [Fact]
    public async Task Ownership_IsByUserId_AndNoOwnerMeansNotYours()
    {
        var admin = await AdminAsync();
        await CreateUserAsync(admin, "anna", "Author");
        var anna = await CmiBrowser.SignInAsync(_app, "anna", "Strong-Password-1");
        var saved = await anna.PostFormAsync("/admin/content/edit/new?type=News", "Save", Form(("type", "News"), ("TitlePart.Title", "Szkic Anny"), ("LocalizationPart.Culture", "pl")));
        var id = IdOf(saved);
        Assert.Equal(await UserIdAsync("anna"), (await LatestAsync(id))!.Owner);
        Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync($"/admin/content/edit/{id}")).StatusCode);

        // An item with no owner (as a recipe may import it) is not hers.
        var starter = await WithServicesAsync(async sp => (await sp.GetRequiredService<ContentManager>().CreateAsync(
            new NewContentItem("News", new JsonObject { ["TitlePart"] = new JsonObject { ["Title"] = "Bez właściciela" } }), default)).ContentItemId);
        Assert.Null((await LatestAsync(starter))!.Owner);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/admin/content/edit/{starter}")).StatusCode);
        var token = await anna.TokenAsync($"/admin/content/edit/{id}");
        var takeOver = await anna.PostAsync($"/admin/content/edit/{starter}?handler=Save",
            new FormUrlEncodedContent(Form(("TitlePart.Title", "przejęty"), ("__RequestVerificationToken", token))));
        Assert.Equal(HttpStatusCode.NotFound, takeOver.StatusCode);
        Assert.Equal("Bez właściciela", (await LatestAsync(starter))!.DisplayText);

        // Anna leaves; a new "anna" is someone else and owns none of the old one's items.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Delete", Form(("id", await UserIdAsync("anna")), ("confirmDelete", "true")))).StatusCode);
        await CreateUserAsync(admin, "anna", "Author");
        var newcomer = await CmiBrowser.SignInAsync(_app, "anna", "Strong-Password-1");
        Assert.Equal(HttpStatusCode.NotFound, (await newcomer.GetAsync($"/admin/content/edit/{id}")).StatusCode);
        Assert.DoesNotContain("Szkic Anny", await newcomer.GetStringAsync("/admin/content/News"), StringComparison.Ordinal);
    }

    // Finding 7: an Author's dashboard listed every draft title of every type and user.
    [Fact]
    public async Task AnAuthorsDashboard_ShowsOnlyWhatTheyMayOpen()
    {
        var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/content/edit/new?type=Alert", "Save",
            Form(("type", "Alert"), ("TitlePart.Title", "Tajny szkic alertu"), ("LocalizationPart.Culture", "pl"), ("Alert.Severity", "critical"),
                ("PublishLaterPart.ScheduledPublishUtc", "2099-01-01T00:00")))).StatusCode);
        await CreateUserAsync(admin, "piotr", "Author");
        var piotr = await CmiBrowser.SignInAsync(_app, "piotr", "Strong-Password-1");
        Assert.Equal(HttpStatusCode.Redirect, (await piotr.PostFormAsync("/admin/content/edit/new?type=News", "Save",
            Form(("type", "News"), ("TitlePart.Title", "Mój szkic"), ("LocalizationPart.Culture", "pl")))).StatusCode);
        var dashboard = WebUtility.HtmlDecode(await piotr.GetStringAsync("/admin"));
        Assert.Contains("Mój szkic", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("Tajny szkic alertu", dashboard, StringComparison.Ordinal);
        Assert.Contains("Tajny szkic alertu", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin")), StringComparison.Ordinal);
    }

    // Finding 8: sign-in was not throttled, and the account lockout could keep the administrator out for ever.
    [Fact]
    public async Task SignIn_IsThrottledPerAddress_AndAWrongPasswordElsewhereDoesNotLockTheAdministratorOut()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Security:SignInAttemptsPerMinute"] = "10",
        });
        HttpClient From(string address)
        {
            var client = CmiBrowser.Open(app);
            client.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
            return client;
        }
        var attacker = From("203.0.113.7");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.LoginAsync("admin", "guess-" + i)).StatusCode);
        }
        Assert.Equal((HttpStatusCode)423, (await attacker.LoginAsync("admin", "guess-5")).StatusCode); // the fifth locks this address out
        var locked = await attacker.LoginAsync("admin", EmbassyAppFactory.AdminPassword);
        Assert.Equal((HttpStatusCode)423, locked.StatusCode); // even the right password, from the guessing address
        // The administrator, from their own address, is not locked out.
        Assert.Equal(HttpStatusCode.Redirect, (await From("198.51.100.20").LoginAsync("admin", EmbassyAppFactory.AdminPassword)).StatusCode);

        // Past ten attempts a minute, the address gets 429 with Retry-After, on the page and on the API alike.
        var api = From("203.0.113.8");
        HttpResponseMessage last = null!;
        for (var i = 0; i < 11; i++)
        {
            last = await api.PostAsJsonAsync("/admin/api/session", new { userName = "nobody" + i, password = "x" });
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.NotNull(last.Headers.RetryAfter);
        var page = await From("203.0.113.8").LoginAsync("admin", EmbassyAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
    }

    /// <summary>ASVS V6.3 (#31): the lockout is in the database, so the server that takes over after a failover (another
    /// process, the same replicated database) goes on counting: alternating servers gives no fresh guesses. Before, the
    /// count lived in the process and a new one started at zero.</summary>
    [Fact]
    public async Task ALockout_HoldsOnTheServerThatTakesOver_WithTheSameDatabase()
    {
        var settings = new Dictionary<string, string?> { ["Embassy:Security:SignInAttemptsPerMinute"] = "10" };
        await using var first = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, settings);
        HttpClient From(EmbassyAppFactory app)
        {
            var client = CmiBrowser.Open(app);
            client.DefaultRequestHeaders.Add(TestClientAddress.Header, "203.0.113.9");
            return client;
        }
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await From(first).LoginAsync("admin", "guess-" + i)).StatusCode);
        }
        // The other server, with the same database: two more guesses lock this address out, as on the first.
        await using var second = new EmbassyAppFactory(first.DataDirectory, settings: settings);
        Assert.Equal(HttpStatusCode.Unauthorized, (await From(second).LoginAsync("admin", "guess-3")).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await From(second).LoginAsync("admin", "guess-4")).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await From(first).LoginAsync("admin", EmbassyAppFactory.AdminPassword)).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await From(second).LoginAsync("admin", EmbassyAppFactory.AdminPassword)).StatusCode);
        // The lockout passes (15 minutes), and a right password then clears the count.
        second.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Redirect, (await From(second).LoginAsync("admin", EmbassyAppFactory.AdminPassword)).StatusCode);
        await using var scope = second.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<EmbassyDbContext>().Set<SignInFailureRecord>().CountAsync());
    }

    // Finding 9: the video retry and sign-out API needed no antiforgery token; /admin sent no nosniff or Referrer-Policy.
    [Fact]
    public async Task EveryStateChangingAdminApiCall_NeedsTheAntiforgeryToken_AndAdminPagesSendSecurityHeaders()
    {
        var browser = await AdminAsync(); // signed in with the cookie, but sends no X-CSRF-TOKEN header
        foreach (var (method, url) in new[] { ("POST", "/admin/api/videos/abc/retry"), ("DELETE", "/admin/api/session"), ("POST", "/admin/api/markdown"),
                     ("PUT", "/admin/api/media/x.png"), ("DELETE", "/admin/api/media/x.png") })
        {
            var response = await browser.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent([1]) });
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {url}: {response.StatusCode}");
            Assert.Contains("Antiforgery token missing", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/api/session")).StatusCode); // still signed in
        var page = await browser.GetAsync("/admin");
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore);
    }

    // The public surfaces skip the editors' middleware (identity, antiforgery): none of their endpoints may need it,
    // and a signed-in editor's cookie changes nothing in what they answer.
    [Fact]
    public async Task ThePublicSurfaces_NeedNoIdentity_AndASignedInCookieChangesNothingThere()
    {
        var endpoints = _app.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>().SelectMany(s => s.Endpoints)
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => AdminModule.IsPublicSurface("/" + e.RoutePattern.RawText!.TrimStart('/'))).ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText!.Contains("media", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.RoutePattern.RawText!.Contains("api/v1", StringComparison.Ordinal));
        foreach (var endpoint in endpoints)
        {
            Assert.True(endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is null, $"{endpoint.RoutePattern.RawText} asks for authorization");
            Assert.True(endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Antiforgery.IAntiforgeryMetadata>() is not { RequiresValidation: true },
                $"{endpoint.RoutePattern.RawText} asks for antiforgery");
        }
        var editor = await AdminAsync();
        var anonymous = _app.CreateClient();
        foreach (var url in new[] { $"/api/v1/items/{TestContent.AlertEnglish.Id}", "/api/v1/content/News", "/health/live" })
        {
            var signedIn = await editor.GetAsync(url);
            var plain = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Equal(await plain.Content.ReadAsStringAsync(), await signedIn.Content.ReadAsStringAsync());
            Assert.False(signedIn.Headers.Contains("X-Frame-Options"), $"{url} ran the CMI's middleware");
        }
    }

    // Finding 10: only /api/v1 was rate limited. An IPv6 client is limited per /64, the block it picks its addresses
    // from: six requests from six addresses of one /64 are one client's.
    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9", "198.51.100.1")]
    [InlineData("2001:db8:1:2::{0}", "2001:db8:1:2:{0}:{0}:{0}:{0}", "2001:db8:1:3::1")]
    public async Task OrchardsContentApi_AndMedia_AreRateLimitedPerClient(string address, string alsoTheSameClient, string another)
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["MobileApi:RateLimitPerSecond"] = "1", ["MobileApi:RateLimitBurst"] = "3",
            ["Embassy:Media:RateLimitPerSecond"] = "1", ["Embassy:Media:RateLimitBurst"] = "3",
        });
        async Task<HttpStatusCode> GetAsync(string url, string from)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add(TestClientAddress.Header, from);
            return (await app.CreateClient().SendAsync(request)).StatusCode;
        }
        foreach (var url in new[] { $"/api/content/{TestContent.AlertEnglish.Id}", "/media/nothing-here.png" })
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 1; i <= 6; i++)
            {
                statuses.Add(await GetAsync(url, string.Format(CultureInfo.InvariantCulture, i % 2 == 0 ? address : alsoTheSameClient, i)));
            }
            Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await GetAsync(url, another));
        }
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")] // an IPv4 client of a dual-stack socket
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("::1", "::1")]
    public void AClientKey_IsTheIPv4Address_OrTheIPv6Slash64(string address, string key) =>
        Assert.Equal(key, RateLimitPolicies.KeyOf(IPAddress.Parse(address)));

    // Finding 11: /metrics was public and /health/ready showed error text.
    [Fact]
    public async Task Metrics_AndTheDetailedReadiness_AreForManagementAddressesOnly()
    {
        var outsider = CmiBrowser.Open(_app);
        outsider.DefaultRequestHeaders.Add(TestClientAddress.Header, "203.0.113.10");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync("/metrics")).StatusCode);
        var terse = await outsider.GetFromJsonAsync<JsonObject>("/health/ready");
        Assert.Equal(["status", "role"], terse!.Select(p => p.Key).ToArray());
        Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync("/health/live")).StatusCode);

        var local = CmiBrowser.Open(_app);
        local.DefaultRequestHeaders.Add(TestClientAddress.Header, "127.0.0.1");
        Assert.Contains("embassy_active_streams", await local.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.True((await local.GetFromJsonAsync<JsonObject>("/health/ready"))!.ContainsKey("database"));
    }

    // Finding 5: stored XSS reached the app from recipes, bags, links and markdown.
    [Fact]
    public async Task HtmlLinksAndMarkdown_AreMadeSafeOnEveryWritePath_BeforeTheyReachTheApp()
    {
        var folder = Path.Combine(_app.DataDirectory, "xss");
        Directory.CreateDirectory(folder);
        var recipe = Path.Combine(folder, "xss.recipe.json");
        await File.WriteAllTextAsync(recipe, """
            { "name": "xss", "steps": [ { "name": "content", "data": [
              { "ContentItemId": "xssnews0000000000000000000", "ContentType": "News", "Published": true,
                "TitlePart": { "Title": "XSS news" }, "LocalizationPart": { "Culture": "en" },
                "HtmlBodyPart": { "Html": "<p onclick=\"steal()\">Hi<script>steal()</script><img src=x onerror=steal()><a href=\"javascript:steal()\">x</a></p>" } },
              { "ContentItemId": "xssalert000000000000000000", "ContentType": "Alert", "Published": true,
                "TitlePart": { "Title": "XSS alert" }, "LocalizationPart": { "Culture": "en" }, "Alert": { "Severity": { "Text": "info" } },
                "MarkdownBodyPart": { "Markdown": "Read [this](javascript:steal()) or <script>steal()</script>\n\n<div onmouseover=\"steal()\">block</div>\n\n[ok](https://example.org)" } }
            ] } ] }
            """);
        var result = await WithServicesAsync(sp => sp.GetRequiredService<Embassy.Recipes.RecipeExecutor>().ImportFileAsync(recipe, new Embassy.Recipes.RecipeImportOptions(), default));
        var client = _app.CreateClient();
        var news = await ItemAsync(client, "/api/v1/items/xssnews0000000000000000000?culture=en");
        var body = news!["fields"]!["body"]!.ToString();
        Assert.Contains("Hi", body, StringComparison.Ordinal);
        foreach (var bad in new[] { "<script", "onclick", "onerror", "javascript:" })
        {
            Assert.DoesNotContain(bad, body, StringComparison.OrdinalIgnoreCase);
        }
        var alert = await ItemAsync(client, "/api/v1/items/xssalert000000000000000000?culture=en");
        var markdown = alert!["fields"]!["body"]!.ToString();
        Assert.Contains("[this](#)", markdown, StringComparison.Ordinal);
        Assert.Contains("[ok](https://example.org)", markdown, StringComparison.Ordinal);
        foreach (var bad in new[] { "<script", "<div", "onmouseover", "javascript:" })
        {
            Assert.DoesNotContain(bad, markdown, StringComparison.OrdinalIgnoreCase);
        }
        // Markdown is stored as written: the editor's text is not changed behind their back.
        Assert.Contains("<script>", (string?)(await LatestAsync("xssalert000000000000000000"))!.Content["MarkdownBodyPart"]!["Markdown"], StringComparison.Ordinal);

        // A link field with a javascript: URL is refused with a message that names it, whatever the path (here, a bag in the CMI).
        var admin = await AdminAsync();
        var page = await admin.PostFormAsync("/admin/content/edit/new?type=Page", "Publish", Form(("type", "Page"), ("TitlePart.Title", "Strona"), ("LocalizationPart.Culture", "pl"),
            ("HtmlBodyPart.Html", "<b>ok</b><iframe src=\"https://evil\"></iframe>"),
            ("Sections.ContentItems", """[{"ContentType": "PageSection", "TitlePart": {"Title": "S"}, "MarkdownBodyPart": {"Markdown": "<img src=x onerror=steal()> [x](vbscript:steal)"}}]""")));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var served = (await ItemAsync(client, $"/api/v1/items/{IdOf(page)}"))!.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        Assert.Contains("<b>ok</b>", served, StringComparison.Ordinal);
        foreach (var bad in new[] { "iframe", "onerror", "vbscript", "<img" })
        {
            Assert.DoesNotContain(bad, served, StringComparison.OrdinalIgnoreCase);
        }
        Assert.True(ContentSafety.IsSafeLink("https://example.org/a b") && !ContentSafety.IsSafeLink("java\tscript:alert(1)") && !ContentSafety.IsSafeLink("data:text/html,x"));
        Assert.NotNull(result);
    }

    private static Task<JsonObject?> ItemAsync(HttpClient client, string url) =>
        Eventually.ValueAsync(async () =>
        {
            var response = await client.GetAsync(url);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        }, item => item is not null, url, TimeSpan.FromSeconds(10));

    // Finding 3 (second half): a title typed as a script was exported as is and ran on re-import.
    [Fact]
    public async Task ScriptTextInContent_IsExportedEscaped_AndComesBackAsText()
    {
        var admin = await AdminAsync();
        const string title = "[js: configuration('ConnectionStrings:Default')]";
        var saved = await admin.PostFormAsync("/admin/content/edit/new?type=News", "Save", Form(("type", "News"), ("TitlePart.Title", title), ("LocalizationPart.Culture", "pl")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var exported = await WithServicesAsync(sp => sp.GetRequiredService<RecipeExport>().ExportAsync("export", default));
        var text = exported.ToJsonString();
        Assert.DoesNotContain("\"[js: configuration(", text, StringComparison.Ordinal);

        await using var fresh = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Recipes:ConfigurationKeys:0"] = "ConnectionStrings:Default", // even where the key is readable, the text stays text
        });
        _ = fresh.CreateClient();
        var file = Path.Combine(fresh.DataDirectory, "export.recipe.json");
        await File.WriteAllTextAsync(file, text);
        await using var scope = fresh.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Embassy.Recipes.RecipeExecutor>().ImportFileAsync(file, new Embassy.Recipes.RecipeImportOptions(), default);
        var reimported = await scope.ServiceProvider.GetRequiredService<ContentManager>().GetLatestAsync(IdOf(saved), default);
        Assert.Equal(title, reimported!.DisplayText);
    }

    // Finding 3 (first half): configuration() read server secrets into errors and logs.
    [Fact]
    public async Task ARecipe_CannotReadServerSecrets_EvenIntoAnError()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Cluster:SyncSecret"] = "super-secret-sync-value-0123456789abcdef",
        });
        var admin = await CmiBrowser.SignInAsync(app);
        var recipe = """
            { "name": "leak", "steps": [ { "name": "content", "data": [ { "ContentItemId": "leak00000000000000000000aa", "ContentType": "ConsularService",
              "TitlePart": { "Title": "[js: configuration('Embassy:Cluster:SyncSecret', 'no secret here')]" },
              "ConsularService": { "FeeUsd": { "Value": "[js: configuration('Embassy_Cluster_SyncSecret')]" }, "Summary": { "Text": 5 } } } ] } ] }
            """;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await admin.TokenAsync("/admin/recipes")), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(recipe)), "recipe", "leak.recipe.json" },
        };
        var response = await admin.PostAsync("/admin/recipes", form);
        var page = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("super-secret-sync-value", page, StringComparison.Ordinal);
        // The import failed for its own reason; before the fix, the secret came back in the FeeUsd message ("got the string …").
        Assert.Contains("Import failed", page, StringComparison.Ordinal);
        Assert.DoesNotContain("FeeUsd", page, StringComparison.Ordinal);
    }

    // Finding 13: a list or the audit log far past the end was a 500 on MariaDB (offset overflow).
    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [InlineData(TestDatabase.MariaDb)]
    public async Task AHugePageNumber_IsAnEmptyPage_NotAnError(TestDatabase database)
    {
        await using var app = await EmbassyAppFactory.CreateAsync(database);
        var admin = await CmiBrowser.SignInAsync(app);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/content/News?p=2147483647")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/audit?p=2147483647")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/content/News?p=-5")).StatusCode);
    }

    [GeneratedRegex("data-key=\"([A-Za-z0-9]+)\"")]
    private static partial Regex SharedKeyPattern();

    // Two-factor sign-in: required for Administrators by default, on the page and the API alike.
    [Fact]
    public async Task Administrators_MustEnrolAnAuthenticator_ThenSignInWithACode()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Security:RequireTwoFactorFor"] = "Administrator",
        });
        var browser = CmiBrowser.Open(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LoginAsync("admin", EmbassyAppFactory.AdminPassword)).StatusCode);
        // Signed in with the password only: every page leads to enrolment, and the API refuses work.
        var dashboard = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/admin/account/two-factor", dashboard.Headers.Location!.OriginalString);
        var enrol = await browser.GetStringAsync("/admin/account/two-factor");
        Assert.Contains("data:image/png;base64,", enrol, StringComparison.Ordinal);
        var key = SharedKeyPattern().Match(enrol).Groups[1].Value;
        Assert.NotEmpty(key);

        var wrong = await browser.PostFormAsync("/admin/account/two-factor", "Enable", Form(("code", "000000")));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var enabled = await browser.PostFormAsync("/admin/account/two-factor", "Enable", Form(("code", Totp.Code(key))));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var codes = Regex.Matches(await enabled.Content.ReadAsStringAsync(), "<li><code>([^<]+)</code></li>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);

        // A new sign-in: password, then the code; a wrong code is refused.
        var next = CmiBrowser.Open(app);
        var first = await next.LoginAsync("admin", EmbassyAppFactory.AdminPassword);
        Assert.StartsWith("/admin/login/code", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await next.GetAsync("/admin")).StatusCode); // not signed in yet
        var refused = await next.PostFormAsync("/admin/login/code", "", Form(("Code", "123456")));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // The code that enabled it was used: it is refused now (RFC 6238 §5.2: a code is accepted once) — the next one works.
        var replayed = await next.PostFormAsync("/admin/login/code", "", Form(("Code", Totp.Code(key))));
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        var accepted = await next.PostFormAsync("/admin/login/code", "", Form(("Code", Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)))));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/admin")).StatusCode);

        // The API: without a code, 401 saying a code is needed; with a recovery code (once), signed in.
        var api = app.CreateClient();
        var noCode = await api.PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
        Assert.True((bool)(await noCode.Content.ReadFromJsonAsync<JsonObject>())!["twoFactorRequired"]!);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword, code = codes[0] })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword, code = codes[0] })).StatusCode);
        var later = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword, code = later })).StatusCode);
        // The same code a second time, through the API or the form: refused (#38: it signed in twice within its window).
        var again = await app.CreateClient().PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword, code = later });
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/admin/api/session",
            new { userName = "admin", password = EmbassyAppFactory.AdminPassword, code = Totp.Code(key) })).StatusCode); // an earlier step
    }

    [Fact]
    public async Task AnAdministratorWithoutASecondFactor_IsRefusedByTheApiToo()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Security:RequireTwoFactorFor"] = "Administrator",
        });
        var api = new HttpClient(new CookieContainerHandler(app.Server.CreateHandler())) { BaseAddress = app.Server.BaseAddress };
        var signedIn = await api.PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        api.DefaultRequestHeaders.Add("X-CSRF-TOKEN", (string)(await signedIn.Content.ReadFromJsonAsync<JsonObject>())!["antiforgeryToken"]!);
        var videos = await api.GetAsync("/admin/api/videos");
        Assert.Equal(HttpStatusCode.Forbidden, videos.StatusCode);
        Assert.Contains("Two-factor sign-in required", await videos.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed class CookieContainerHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly CookieContainer _cookies = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var cookies = _cookies.GetCookieHeader(request.RequestUri!);
            if (cookies.Length > 0)
            {
                request.Headers.Add("Cookie", cookies);
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                foreach (var cookie in set)
                {
                    _cookies.SetCookies(request.RequestUri!, cookie);
                }
            }
            return response;
        }
    }
}
