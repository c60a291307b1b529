using Embassy.Content.Preview;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Endpoints;

/// <summary>How an API request carries a preview token, and what is said when it does not hold.</summary>
internal static class PreviewAccess
{
    /// <summary>The header the app sends a preview token in (or, for a deep link opened in a browser, ?preview=).</summary>
    public const string Header = "X-Preview-Token";

    /// <summary>No proxy, CDN or shared cache keeps a preview answer.</summary>
    public const string CacheControl = "private, no-store";

    public static string? Token(HttpContext http) =>
        http.Request.Headers[Header].FirstOrDefault() is { Length: > 0 } header ? header
        : http.Request.Query["preview"].FirstOrDefault() is { Length: > 0 } query ? query : null;

    /// <summary>The live token, or the 401 to answer (the answer is marked private, no-store either way).</summary>
    public static async Task<(PreviewTokenRecord? Token, IResult? Problem)> CheckAsync(string token, HttpContext http, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = CacheControl;
        var preview = await http.RequestServices.GetRequiredService<PreviewTokens>().FindAsync(token, cancellationToken);
        return preview is not null ? (preview, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Preview token not valid",
                detail: "This preview token has expired, was revoked, or was never made: ask an editor for a new preview link."));
    }

    public static IResult NotCovered() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not covered by this preview token",
        detail: "This preview token shows the draft of another item.");
}
