using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Embassy.Core;

/// <summary>The names of the per-address rate-limit policies, shared by the modules that map the routes.</summary>
public static class RateLimitPolicies
{
    /// <summary>The public read API: /api/v1 and Orchard's /api/content (MobileApi:RateLimitPerSecond / RateLimitBurst).</summary>
    public const string PublicApi = "mobile-api";

    /// <summary>The partition key of a request: its client's address ("local" for an in-process test server, which has none).</summary>
    public static string ClientKey(HttpContext http) => http?.Connection.RemoteIpAddress?.ToString() ?? "local";

    /// <summary>Writes a 429 with Retry-After as ProblemDetails (every rate limit answers the same way).</summary>
    public static Task TooManyRequestsAsync(HttpContext http, TimeSpan retryAfter, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: ProblemTitles.TooManyRequests,
            detail: $"{detail} Retry after {seconds} s.").ExecuteAsync(http);
    }
}

/// <summary>Who may read the server's internals: /metrics and the detailed readiness report.</summary>
public sealed class ManagementOptions
{
    public const string Section = "Embassy:Management";

    /// <summary>Addresses or networks (CIDR) allowed; loopback only by default (a Prometheus or monitoring agent on the
    /// server itself, or the operator's SSH session). Everyone else gets 404 for /metrics and a terse /health/ready.</summary>
    [Required]
    public List<string> AllowedNetworks { get; set; } = ["127.0.0.0/8", "::1/128"];

    public bool Allows(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return true; // an in-process test server: there is no network peer at all
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return AllowedNetworks.Any(n => IPNetwork.TryParse(n, out var network) ? network.Contains(address) : IPAddress.TryParse(n, out var single) && single.Equals(address));
    }
}

/// <summary>
/// One title per kind of error on the public routes (/api, /media), as the OpenAPI document declares them: clients can
/// branch on the status and show the title; the detail says what exactly went wrong.
/// </summary>
public static class ProblemTitles
{
    public const string BadRequest = "One or more parameters are invalid.";
    public const string NotFound = "Not found";
    public const string TooManyRequests = "Too many requests";
    public const string Unavailable = "Service unavailable";
}
