using System.Net;
using System.Text.RegularExpressions;
using Embassy.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Embassy.Admin.Tests;

/// <summary>A browser without a browser: cookies, no redirects followed, and the forms' antiforgery tokens.</summary>
internal static partial class CmiBrowser
{
    [GeneratedRegex("(?:name=\"__RequestVerificationToken\" type=\"hidden\" value|name=\"csrf-token\" content)=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public static HttpClient Open(EmbassyAppFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The antiforgery token of the form on <paramref name="url"/>.</summary>
    public static async Task<string> TokenAsync(this HttpClient browser, string url) =>
        TokenPattern().Match(await browser.GetStringAsync(url)).Groups[1].Value;

    /// <summary>Posts a form of <paramref name="page"/> to one of its handlers ("" for the page's own), with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string page, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var all = fields.Append(new("__RequestVerificationToken", await browser.TokenAsync(page))).ToList();
        var separator = page.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return await browser.PostAsync(handler.Length == 0 ? page : $"{page}{separator}handler={handler}", new FormUrlEncodedContent(all));
    }

    public static async Task<HttpResponseMessage> LoginAsync(this HttpClient browser, string user, string password) =>
        await browser.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = await browser.TokenAsync("/admin/login"),
        }));

    public static async Task<HttpClient> SignInAsync(EmbassyAppFactory app, string user = "admin", string password = EmbassyAppFactory.AdminPassword)
    {
        var browser = Open(app);
        var response = await browser.LoginAsync(user, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in as {user} failed: {(int)response.StatusCode}");
        }
        return browser;
    }
}
