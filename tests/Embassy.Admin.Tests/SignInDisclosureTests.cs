using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

/// <summary>
/// Issue #38, group 4: sign-in tells an attacker nothing of which accounts exist or are locked. A wrong password for an
/// unknown user costs the same password-hash check as for an existing one (it answered ~30× faster before); a locked
/// account says it is locked only to someone who gives its password. Both on the page and the session API.
/// </summary>
public sealed class SignInDisclosureTests : IAsyncLifetime
{
    private const string Password = "Strong-Password-1";
    private EmbassyAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            // This test measures answers, not the throttle: let every attempt through.
            ["Embassy:Security:SignInAttemptsPerMinute"] = "100000",
            ["Embassy:Security:FailuresBeforeLockout"] = "1000",
        });
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        foreach (var name in new[] { "ewa", "locked" })
        {
            var user = new IdentityUser(name);
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, "Author")).Succeeded);
        }
        var locked = (await users.FindByNameAsync("locked"))!;
        await users.SetLockoutEnabledAsync(locked, true);
        await users.SetLockoutEndDateAsync(locked, DateTimeOffset.MaxValue); // as the Users page's "lock" does
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AWrongPassword_TakesAsLongForAnUnknownUser_AsForAnExistingOne()
    {
        var api = _app.CreateClient();
        async Task<double> MillisecondsAsync(string userName)
        {
            var watch = Stopwatch.StartNew();
            var response = await api.PostAsJsonAsync("/admin/api/session", new { userName, password = "wrong-password-123" });
            watch.Stop();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            return watch.Elapsed.TotalMilliseconds;
        }
        await MillisecondsAsync("ewa"); // warm both paths
        await MillisecondsAsync("nobody-0");
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            known.Add(await MillisecondsAsync("ewa"));
            unknown.Add(await MillisecondsAsync($"nobody-{i + 1}"));
        }
        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var ratio = Median(unknown) / Median(known);
        // One hash check each way: the same within noise (a missing hash check was a ratio near 0.03).
        Assert.True(ratio is > 0.5 and < 2, $"unknown user {Median(unknown):0.0} ms, existing user {Median(known):0.0} ms (ratio {ratio:0.00})");
    }

    [Fact]
    public async Task ALockedAccount_IsSaidLockedOnlyToWhoeverGivesItsPassword()
    {
        var api = _app.CreateClient();
        async Task<(HttpStatusCode Status, string? Detail)> SessionAsync(string userName, string password)
        {
            var response = await api.PostAsJsonAsync("/admin/api/session", new { userName, password });
            return (response.StatusCode, (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())?["detail"]);
        }
        var unknown = await SessionAsync("nobody-at-all", "wrong-password-123");
        var lockedWrong = await SessionAsync("locked", "wrong-password-123");
        Assert.Equal(HttpStatusCode.Unauthorized, lockedWrong.Status);
        Assert.Equal(unknown, lockedWrong); // word for word what an unknown user gets
        Assert.Equal((HttpStatusCode)423, (await SessionAsync("locked", Password)).Status);

        // The sign-in page alike.
        var browser = CmiBrowser.Open(_app);
        var pageUnknown = await browser.LoginAsync("nobody-at-all", "wrong-password-123");
        var pageLockedWrong = await browser.LoginAsync("locked", "wrong-password-123");
        Assert.Equal(HttpStatusCode.Unauthorized, pageLockedWrong.StatusCode);
        static async Task<string> AlertAsync(HttpResponseMessage page) =>
            System.Text.RegularExpressions.Regex.Match(WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()), "role=\"alert\">([^<]*)<").Groups[1].Value;
        Assert.Equal("Wrong user name or password.", await AlertAsync(pageLockedWrong));
        Assert.Equal(await AlertAsync(pageUnknown), await AlertAsync(pageLockedWrong));
        Assert.Equal(pageUnknown.StatusCode, pageLockedWrong.StatusCode);
        var pageLockedRight = await browser.LoginAsync("locked", Password);
        Assert.Equal((HttpStatusCode)423, pageLockedRight.StatusCode);
        Assert.Equal("This account is locked: ask an administrator.", await AlertAsync(pageLockedRight));
        // And the right password of an unlocked account still signs in.
        Assert.Equal(HttpStatusCode.OK, (await SessionAsync("ewa", Password)).Status);
    }
}
