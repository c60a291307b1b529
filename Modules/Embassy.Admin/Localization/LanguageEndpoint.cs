using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;

namespace Embassy.Admin.Localization;

/// <summary>GET /admin/language/{language}?returnUrl=…: the editor's choice of the CMI's language, kept a year in a cookie.</summary>
public static class LanguageEndpoint
{
    public const string CookieName = "embassy.language";

    public static IEndpointRouteBuilder MapCmiLanguage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/admin/language/{language}", (string language, string? returnUrl, HttpContext http) =>
        {
            if (!CmiText.Languages.Contains(language))
            {
                return Results.NotFound();
            }
            http.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture("en", language)), new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true,
            });
            // Only back to a page of the CMI (never an open redirect).
            var target = returnUrl is { Length: > 0 } && returnUrl.StartsWith("/admin", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                && !returnUrl.Contains('\\', StringComparison.Ordinal) ? returnUrl : "/admin";
            return Results.LocalRedirect(target);
        }).ExcludeFromDescription();
        return endpoints;
    }
}
