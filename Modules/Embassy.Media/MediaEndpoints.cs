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
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string? path, HttpContext http, MediaIndexCache index, MediaStore store, StreamAdmission admission,
        IMediaAvailability availability, IOptions<MediaOptions> options, CancellationToken cancellationToken)
    {
        var normalized = MediaPath.Normalize(path, out _);
        var record = normalized is null ? null : await index.FindAsync(normalized, cancellationToken);
        if (record is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no media file at this path.");
        }
        var file = store.FullPath(record.Path);
        if (!availability.IsCurrent(record, file))
        {
            return availability.NotYetHere(record, http);
        }
        var lease = admission.TryEnter();
        if (lease is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many streams",
                detail: "The server is serving as many streams as it is configured to; retry in a few seconds or use the other server.");
        }
        http.Response.RegisterForDispose(lease);
        // A paused player stops reading; Kestrel's default minimum rate (240 B/s) would cut it off.
        // A client that reads nothing for the stalled-stream timeout is still closed.
        if (http.Features.Get<IHttpMinResponseDataRateFeature>() is { } rate)
        {
            var timeout = options.Value.StalledStreamTimeout;
            rate.MinDataRate = new MinDataRate(bytesPerSecond: 1, gracePeriod: timeout);
        }
        http.Response.Headers.CacheControl = $"public, max-age={options.Value.CacheMaxAgeSeconds}";
        if (record.ContentType == "image/svg+xml")
        {
            // An SVG may carry script: served as an image it must never run.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
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
