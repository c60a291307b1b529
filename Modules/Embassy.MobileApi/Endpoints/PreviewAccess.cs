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

    /// <summary>The live token, or the 401 to answer (the answer is marked private, no-store either way); 429 for an
    /// address that sent too many wrong ones this minute (<see cref="PreviewGuesses"/>), before any lookup.</summary>
    public static async Task<(PreviewTokenRecord? Token, IResult? Problem)> CheckAsync(string token, HttpContext http, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = CacheControl;
        var guesses = http.RequestServices.GetRequiredService<PreviewGuesses>();
        var address = Embassy.Core.RateLimitPolicies.ClientKey(http);
        if (guesses.Exhausted(address))
        {
            return (null, TooMany(http));
        }
        var preview = await http.RequestServices.GetRequiredService<PreviewTokens>().FindAsync(token, cancellationToken);
        if (preview is not null)
        {
            return (preview, null);
        }
        return guesses.Wrong(address) ? (null, TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Preview token not valid",
                detail: "This preview token has expired, was revoked, or was never made: ask an editor for a new preview link."))
            : (null, TooMany(http));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooMany(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "60";
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: Embassy.Core.ProblemTitles.TooManyRequests,
            detail: "This address sent too many preview tokens that are not valid. Retry after 60 s.");
    }

    public static IResult NotCovered() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not covered by this preview token",
        detail: "This preview token shows the draft of another item.");
}

/// <summary>Wrong preview tokens per client address and minute (<see cref="MobileApiOptions.WrongPreviewTokensPerMinute"/>).</summary>
internal sealed class PreviewGuesses(Microsoft.Extensions.Options.IOptions<MobileApiOptions> options) : IDisposable
{
    private readonly Embassy.Core.PerMinuteLimit _wrong = new(() => options.Value.WrongPreviewTokensPerMinute);

    /// <summary>Whether this address has no wrong guess left this minute.</summary>
    public bool Exhausted(string address) => _wrong.Exhausted(address);

    /// <summary>Counts a wrong token; false when it was one too many.</summary>
    public bool Wrong(string address) => _wrong.TryTake(address, out _);

    public void Dispose() => _wrong.Dispose();
}
