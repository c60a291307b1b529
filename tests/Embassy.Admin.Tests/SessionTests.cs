using System.Net;
using Embassy.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

/// <summary>
/// CMI sessions (ASVS V7, SECURITY.md): the documented idle (30 min) and absolute (12 h) timeouts, the password asked
/// again before security settings after 15 minutes, and every other session of a user ended within a minute of a
/// password or second-factor change. The application's clock is the tests' fake one.
/// </summary>
public sealed class SessionTests : IAsyncLifetime
{
    private EmbassyAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task<bool> SignedInAsync(HttpClient browser)
    {
        var response = await browser.GetAsync("/admin");
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{(int)response.StatusCode}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    [Fact]
    public async Task ASession_EndsAfter30IdleMinutes_AndSlidesWhileUsed()
    {
        var used = await CmiBrowser.SignInAsync(_app);
        var idle = await CmiBrowser.SignInAsync(_app);
        for (var i = 0; i < 4; i++)
        {
            _app.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.True(await SignedInAsync(used), $"a session used every 20 minutes ended after {(i + 1) * 20} minutes");
        }
        Assert.False(await SignedInAsync(idle)); // 80 minutes without a request
        Assert.Equal("/admin/login", (await idle.GetAsync("/admin")).Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task ASession_EndsTwelveHoursAfterItsSignIn_HoweverMuchItIsUsed()
    {
        var browser = await CmiBrowser.SignInAsync(_app);
        for (var minutes = 20; minutes < 12 * 60; minutes += 20)
        {
            _app.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.True(await SignedInAsync(browser), $"ended after {minutes} minutes");
        }
        _app.Clock.Advance(TimeSpan.FromMinutes(20)); // 12 h 00 min
        Assert.False(await SignedInAsync(browser));
        // Signing in again starts a new session.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LoginAsync("admin", EmbassyAppFactory.AdminPassword)).StatusCode);
        Assert.True(await SignedInAsync(browser));
    }

    [Fact]
    public async Task SecuritySettings_AskForThePasswordAgain_After15Minutes()
    {
        var browser = await CmiBrowser.SignInAsync(_app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/users")).StatusCode); // just signed in
        var token = await browser.TokenAsync("/admin/users");
        _app.Clock.Advance(TimeSpan.FromMinutes(16));

        foreach (var page in new[] { "/admin/users", "/admin/roles", "/admin/webhooks", "/admin/account/two-factor", "/admin/recipes" })
        {
            var asked = await browser.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
            Assert.Equal($"/admin/reauthenticate?returnUrl={Uri.EscapeDataString(page)}", asked.Headers.Location?.OriginalString);
        }
        // A form posted now is not taken: no user is made.
        var create = await browser.PostAsync("/admin/users?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "late-editor", ["password"] = "Strong-Password-1", ["role"] = "Editor", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, create.StatusCode);
        Assert.StartsWith("/admin/reauthenticate", create.Headers.Location?.OriginalString, StringComparison.Ordinal);
        // Other pages are not asked for it.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/content/News")).StatusCode);

        var wrong = await Reauthenticate(browser, "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var right = await Reauthenticate(browser, EmbassyAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/admin/users", right.Headers.Location?.OriginalString);

        var users = await browser.GetStringAsync("/admin/users");
        Assert.DoesNotContain("late-editor", users, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/admin/users", "Create", new Dictionary<string, string>
        {
            ["userName"] = "late-editor", ["password"] = "Strong-Password-1", ["role"] = "Editor",
        })).StatusCode);
        Assert.Contains("late-editor", await browser.GetStringAsync("/admin/users"), StringComparison.Ordinal);
        var audit = await browser.GetStringAsync("/admin/audit");
        Assert.Contains("user.reauthenticated", audit, StringComparison.Ordinal);
        Assert.Contains("user.reauthenticate-failed", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APasswordReset_EndsTheUsersOtherSessions_WithinAMinute()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Create", new Dictionary<string, string>
        {
            ["userName"] = "moved-editor", ["password"] = "Strong-Password-1", ["role"] = "Editor",
        })).StatusCode);
        var laptop = await CmiBrowser.SignInAsync(_app, "moved-editor", "Strong-Password-1");
        var phone = await CmiBrowser.SignInAsync(_app, "moved-editor", "Strong-Password-1");
        Assert.True(await SignedInAsync(laptop));
        Assert.True(await SignedInAsync(phone));

        var userId = await UserIdAsync("moved-editor");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Password", new Dictionary<string, string>
        {
            ["id"] = userId, ["password"] = "Another-Strong-Password-2",
        })).StatusCode);
        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.False(await SignedInAsync(laptop));
        Assert.False(await SignedInAsync(phone));
        Assert.True(await SignedInAsync(admin));
    }

    private async Task<string> UserIdAsync(string name)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return (await users.FindByNameAsync(name))!.Id;
    }

    private static async Task<HttpResponseMessage> Reauthenticate(HttpClient browser, string password) =>
        await browser.PostFormAsync("/admin/reauthenticate?returnUrl=%2Fadmin%2Fusers", "", new Dictionary<string, string>
        {
            ["Password"] = password, ["returnUrl"] = "/admin/users",
        });
}
