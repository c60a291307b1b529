using Embassy.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Cluster;

/// <summary>
/// On the master: a request that would write is answered 503 at once, with the reason and what to do, while this server
/// takes no writes (read-only, or paused because nothing is acknowledged: a commit would only wait). Not a form's check:
/// every unsafe method on every route passes here, the CMI's, the APIs' and uploads' alike (docs/adr/0012-one-writer.md).
/// </summary>
public static class WriterGuard
{
    private static readonly PathString[] Exempt = ["/health", "/metrics", "/internal", "/admin/language", "/admin/logout", "/admin/api/markdown"];

    public static WebApplication UseWriterGuard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var writer = app.Services.GetRequiredService<WriterStatus>();
        app.Use(async (context, next) =>
        {
            var current = writer.Current;
            if (current.AcceptsWrites || current.DatabaseAway || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ||
                HttpMethods.IsOptions(context.Request.Method) || Exempt.Any(p => context.Request.Path.StartsWithSegments(p)))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = ProblemTitles.Unavailable,
                    Detail = $"Nothing was changed: {current.Reason}.{(current.Action is { } action ? " " + char.ToUpperInvariant(action[0]) + action[1..] + "." : "")}",
                    Extensions = { ["writerState"] = current.State.ToString() },
                },
            });
        });
        return app;
    }
}
