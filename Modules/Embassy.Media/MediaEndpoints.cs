using Embassy.Media.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Embassy.Media;

/// <summary>What every media response carries so that a hostile file cannot act on the site's origin.</summary>
public static class MediaSecurity
{
    public const string ContentSecurityPolicy = "default-src 'none'; sandbox";

    /// <summary>Types a browser renders as a document that can run script (SVG stays inline for img tags, sandboxed).</summary>
    public static bool IsActive(string contentType) =>
        contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ||
        contentType.StartsWith("application/xhtml", StringComparison.OrdinalIgnoreCase) ||
        contentType.Contains("xml", StringComparison.OrdinalIgnoreCase) && !contentType.StartsWith("image/svg", StringComparison.OrdinalIgnoreCase) ||
        contentType.StartsWith("text/javascript", StringComparison.OrdinalIgnoreCase) ||
        contentType.StartsWith("application/javascript", StringComparison.OrdinalIgnoreCase);
}

public static class MediaEndpoints
{
    /// <summary>GET and HEAD /media/{path}: byte ranges, strong ETags from the SHA-256, Last-Modified from the index.</summary>
    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods("/media/{**path}", [HttpMethods.Get, HttpMethods.Head], ServeAsync)
            .WithName("GetMedia")
            .WithTags("Media")
            .WithSummary("A media file (images, documents, videos): GET and HEAD with byte ranges, If-Range, If-None-Match, If-Match.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(Embassy.Core.RateLimitPolicies.Media);
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string? path, HttpContext http, MediaIndexCache index, MediaStore store, StreamAdmission admission,
        IMediaAvailability availability, IOptions<MediaOptions> options, CancellationToken cancellationToken)
    {
        var normalized = MediaPath.Normalize(path, out _);
        var record = normalized is null ? null : await index.FindAsync(normalized, cancellationToken);
        if (record is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Embassy.Core.ProblemTitles.NotFound, detail: "There is no media file at this path.");
        }
        var file = store.FullPath(record.Path);
        if (!availability.IsCurrent(record, file))
        {
            return availability.NotYetHere(record, http);
        }
        var lease = admission.TryEnter(Embassy.Core.RateLimitPolicies.ClientKey(http), out var refusal);
        if (lease is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return refusal == AdmissionRefusal.ClientFull
                ? TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: Embassy.Core.ProblemTitles.TooManyRequests,
                    detail: $"This address has {options.Value.MaxStreamsPerClient} media responses open (Embassy:Media:MaxStreamsPerClient); retry when one ends.")
                : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: Embassy.Core.ProblemTitles.Unavailable,
                    detail: "The server is serving as many streams as it is configured to; retry in a few seconds or use the other server.");
        }
        http.Response.RegisterForDispose(lease);
        // A paused player stops reading for a while: the rate is enforced only after the stalled-stream grace, and
        // then at a realistic minimum, so a client trickling a byte a second cannot hold a slot for ever.
        if (http.Features.Get<IHttpMinResponseDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = new MinDataRate(bytesPerSecond: options.Value.MinStreamBytesPerSecond, gracePeriod: options.Value.StalledStreamTimeout);
        }
        http.Response.Headers.CacheControl = $"public, max-age={options.Value.CacheMaxAgeSeconds}";
        // Media shares the CMI's origin: nothing served from here may run script or load anything, even when opened
        // directly (an SVG or an HTML file with script in it). Types a browser would render as a page are downloads.
        http.Response.Headers.ContentSecurityPolicy = MediaSecurity.ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (MediaSecurity.IsActive(record.ContentType))
        {
            http.Response.Headers.ContentDisposition = "attachment";
        }
        // The ETag is the content's hash, so master and standby give the same one and a download
        // resumes across servers with If-Range (RFC 9110 §13.1.5).
        var etag = new EntityTagHeaderValue($"\"{record.Sha256[..32]}\"");
        if (options.Value.SendChunkKilobytes > 0 && http.Features.Get<IHttpResponseBodyFeature>() is { } body)
        {
            http.Features.Set<IHttpResponseBodyFeature>(new LargeChunkFileSender(body, options.Value.SendChunkKilobytes * 1024));
        }
        return TypedResults.PhysicalFile(file, record.ContentType, lastModified: new DateTimeOffset(record.ModifiedUtc), entityTag: etag,
            enableRangeProcessing: true);
    }
}
