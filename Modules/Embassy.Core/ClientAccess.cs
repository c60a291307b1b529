using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace Embassy.Core;

/// <summary>The names of the per-address rate-limit policies, shared by the modules that map the routes.</summary>
public static class RateLimitPolicies
{
    /// <summary>The public read API: /api/v1 and Orchard's /api/content (MobileApi:RateLimitPerSecond / RateLimitBurst).</summary>
    public const string PublicApi = "mobile-api";

    /// <summary>
    /// The partition key of a request's client, for every per-client limit (API and media rates, media streams, sign-in
    /// attempts): its IPv4 address, or for IPv6 the /64 network the address is in — the block one subscriber gets (a
    /// phone, a home): its devices pick addresses in it at will, so counting per address would let one client pose as
    /// 2^64. "local" for an in-process test server, which has no peer. Worked out once per address object (Kestrel
    /// keeps one per connection), so a request allocates nothing for it.
    /// </summary>
    public static string ClientKey(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Connection.RemoteIpAddress is { } address ? Keys.GetValue(address, KeyOf) : "local";
    }

    private static readonly ConditionalWeakTable<IPAddress, string> Keys = new();

    /// <summary>An address as a client key: IPv4 (also when mapped into IPv6) as it is, IPv6 as its /64, loopback as it is.</summary>
    public static string KeyOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

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
