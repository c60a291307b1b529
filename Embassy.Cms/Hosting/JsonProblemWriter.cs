using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Embassy.Cms.Hosting;

/// <summary>
/// Problem details for a client whose Accept header names neither JSON type (Accept: application/xml, text/html…):
/// ASP.NET Core's own writer declines those, and the fallback wrote the problem without its trace id and without the
/// customisation (the security headers). The API speaks only JSON: this writer, after the default one, answers them
/// with the same body the default writes — status, title, traceId — so every problem matches the documented schema.
/// </summary>
internal sealed class JsonProblemWriter(IOptions<JsonOptions> json, IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync<object>(problem, json.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
    }
}
