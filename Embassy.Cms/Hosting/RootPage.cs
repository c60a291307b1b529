using System.Net;
using Embassy.Core;
using Microsoft.Extensions.Options;

namespace Embassy.Cms.Hosting;

/// <summary>
/// "/": what this server is and where its parts are — the CMI (on the master), the API's documents, health. A static
/// page with no script and nothing from elsewhere; the app never asks for it.
/// </summary>
internal static class RootPage
{
    public static IEndpointRouteBuilder MapRootPage(this IEndpointRouteBuilder endpoints, bool isMaster)
    {
        endpoints.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, IOptions<EmbassyOptions> options) =>
        {
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "public, max-age=300";
            var role = options.Value.Role.ToString();
            var cmi = isMaster
                ? """<li><a href="/admin">CMI</a> — the editors' content management (sign in)</li>"""
                : """<li>CMI — switched off: this is the standby, which serves the master's content read-only</li>""";
            var html = $$"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>Embassy CMS</title>
                <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d2733}a{color:#1a4a8a}code{background:#eef2f7;padding:0 .2rem}</style>
                </head><body>
                <h1>Embassy CMS</h1>
                <p>The back end of the US Embassy Poland mobile app. This server: <strong>{{WebUtility.HtmlEncode(role)}}</strong>.</p>
                <ul>
                {{cmi}}
                <li><a href="/scalar">API reference</a> — the mobile app's JSON API (<a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>)</li>
                <li><a href="/health/ready">Readiness</a> and <a href="/health/live">liveness</a></li>
                </ul>
                </body></html>
                """;
            return TypedResults.Content(html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return endpoints;
    }
}
