using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Cluster;

/// <summary>
/// On the standby the CMI is switched off; an editor who opens /admin here (a bookmark, after a failover) gets a page in
/// Polish or English that says where the CMI is now, or that no master answers and what the operator must do.
/// </summary>
public static class StandbyAdminPage
{
    public static IEndpointRouteBuilder MapStandbyAdminPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Every method: a write has no route on the standby (404, as before); a page read gets the page.
        endpoints.Map("/admin/{**rest}", Answer).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Answer(HttpContext http, IOptions<ClusterOptions> cluster, MediaSync sync)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            return Results.NotFound();
        }
        var polish = http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
            .FirstOrDefault()?.Value.Value?.StartsWith("pl", StringComparison.OrdinalIgnoreCase) == true;
        var master = cluster.Value.MasterUrl;
        var reachable = master is not null && DateTime.UtcNow - sync.MasterLastSeenUtc < cluster.Value.MasterLostAfter;
        var cmi = master is null ? null : WebUtility.HtmlEncode(new Uri(master, "/admin").ToString());
        var (title, body) = (polish, reachable) switch
        {
            (true, true) => ("CMI jest na serwerze głównym",
                $"<p>To jest serwer zapasowy: pokazuje te same treści, ale nie można na nim nic zmieniać.</p><p>Panel redakcyjny (CMI) jest tutaj: <a href=\"{cmi}\">{cmi}</a></p>"),
            (false, true) => ("The CMI is on the master server",
                $"<p>This is the standby server: it serves the same content, but nothing can be changed here.</p><p>The CMI is here: <a href=\"{cmi}\">{cmi}</a></p>"),
            (true, false) => ("Serwer główny nie odpowiada",
                "<p>To jest serwer zapasowy, a serwer główny teraz nie odpowiada: aplikacja nadal pokazuje treści, ale nie można ich zmieniać.</p>" +
                "<p>Administrator serwerów musi przywrócić serwer główny albo uczynić ten serwer głównym (<code>embassy-ctl promote</code>, deploy/RUNBOOK.md).</p>"),
            _ => ("No master server answers",
                "<p>This is the standby server, and the master does not answer now: the app still shows content, but nothing can be changed.</p>" +
                "<p>The operator must bring the master back or make this server the master (<code>embassy-ctl promote</code>, deploy/RUNBOOK.md).</p>"),
        };
        var html = $"<!DOCTYPE html><html lang=\"{(polish ? "pl" : "en")}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            $"<title>{title} — Embassy CMS</title></head><body style=\"font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem\"><h1>{title}</h1>{body}</body></html>";
        http.Response.Headers.CacheControl = "no-store";
        // 404: there is no CMI here (as before, for clients and checks), with a page that says where it is.
        return Results.Content(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }
}
