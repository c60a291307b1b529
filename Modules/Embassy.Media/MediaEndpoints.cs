using Embassy.Media.Images;
using Embassy.Media.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Embassy.Media;

/// <summary>What every media response carries so that a hostile file cannot act on the site's origin.</summary>
public static class MediaSecurity
{
    public const string ContentSecurityPolicy = "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>Types a browser renders as a document that can run script (SVG stays inline for img tags, sandboxed).</summary>
    public static bool IsActive(string contentType) =>
        contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ||
        contentType.StartsWith("application/xhtml", StringComparison.OrdinalIgnoreCase) ||
        contentType.Contains("xml", StringComparison.OrdinalIgnoreCase) && !contentType.StartsWith("image/svg", StringComparison.OrdinalIgnoreCase) ||
        contentType.StartsWith("text/javascript", StringComparison.OrdinalIgnoreCase) ||
        contentType.StartsWith("application/javascript", StringComparison.OrdinalIgnoreCase);

    /// <summary>What is saved, not shown: every file but pictures, video and audio (documents, archives), and anything
    /// active (ASVS V3.2.1).</summary>
    public static bool IsDownload(string contentType) => IsActive(contentType) ||
        !(contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ||
          contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/vnd.apple.mpegurl", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/x-mpegurl", StringComparison.OrdinalIgnoreCase) ||
          contentType.StartsWith("text/vtt", StringComparison.OrdinalIgnoreCase));

    /// <summary>attachment with the file's name: a plain ASCII one (anything else becomes _) and the exact one in
    /// RFC 5987 form, so no quote, semicolon or line break of a name reaches the header.</summary>
    public static string Attachment(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        var plain = new string(name.Select(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or '_' ? c : '_').ToArray());
        return $"attachment; filename=\"{plain}\"; filename*=UTF-8''{Uri.EscapeDataString(name)}";
    }
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
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable); // 429 also from the per-address limit (MediaModule.UseMedia)
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string? path, HttpContext http, MediaIndexCache index, IOptions<Embassy.Core.EmbassyOptions> embassy, StreamAdmission admission,
        IMediaAvailability availability, IOptions<MediaOptions> options, IOptions<ImageOptions> imageOptions, MediaProfiles profiles,
        DerivativeCache derivatives, HeldResponses memo, FrontAnswers sent, DerivativeBudget budget, CancellationToken cancellationToken)
    {
        var seen = memo.Now(); // before the index row and the profiles are read: a change meanwhile makes this answer one not to remember
        var normalized = MediaPath.Normalize(path, out _);
        var entry = normalized is null ? null : await index.FindEntryAsync(normalized, cancellationToken);
        var record = entry?.Record;
        if (record is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Embassy.Core.ProblemTitles.NotFound, detail: "There is no media file at this path.");
        }
        // A derivative (width, height, rmode … or profile): checked and named before any work, so a 304 costs nothing.
        ImageCommand? command = null;
        string? derivativeKey = null;
        var varyByAccept = false;
        if (ImageCommand.IsRequested(http.Request.Query))
        {
            if (!ImageCommand.Transformable.Contains(Path.GetExtension(record.Path)))
            {
                return BadImageRequest($"Only JPEG, PNG, WebP and GIF images can be resized; '{Path.GetExtension(record.Path)}' files are served as they are (without width, height, profile …).");
            }
            var known = await profiles.GetAsync(cancellationToken);
            command = ImageCommand.Parse(http.Request.Query, Path.GetExtension(record.Path), http.Request.Headers.Accept.ToString(),
                name => known.TryGetValue(name, out var p) ? p : null, imageOptions.Value, out varyByAccept, out var error);
            if (command is null)
            {
                return BadImageRequest(error!);
            }
            if (varyByAccept)
            {
                http.Response.Headers.Vary = "Accept";
            }
            derivativeKey = DerivativeCache.KeyOf(record.Sha256, command);
            var derivativeTag = DerivativeCache.ETagOf(derivativeKey);
            if (DerivativeCache.NotModified(http.Request.Headers.IfNoneMatch, derivativeTag))
            {
                http.Response.Headers.ETag = derivativeTag;
                http.Response.Headers.CacheControl = options.Value.CacheControl;
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }
        }
        // A derivative held in memory is named by the source's hash and needs nothing from the disk; anything else needs
        // this server to hold the indexed version of the file.
        var held = derivativeKey is null ? null : derivatives.TryGetHeld(derivativeKey, command!);
        // Not MediaStore, which is scoped on a database context: serving a file needs no database once the index row is cached.
        var file = MediaPath.FullPath(embassy.Value.MediaDirectory, record.Path);
        if (held is null && !availability.IsCurrent(record, file))
        {
            return availability.NotYetHere(record, http);
        }
        // Behind the front, the front sends the bytes and holds the stream (its limit_conn is the per-address limit).
        var front = Embassy.Core.FrontSendfile.IsAvailable(http);
        var refusal = AdmissionRefusal.None;
        var lease = front ? null : admission.TryEnter(Embassy.Core.RateLimitPolicies.ClientKey(http), out refusal);
        if (!front && lease is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return refusal == AdmissionRefusal.ClientFull
                ? TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: Embassy.Core.ProblemTitles.TooManyRequests,
                    detail: $"This address has {options.Value.MaxStreamsPerClient} media responses open (Embassy:Media:MaxStreamsPerClient); retry when one ends.")
                : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: Embassy.Core.ProblemTitles.Unavailable,
                    detail: "The server is serving as many streams as it is configured to; retry in a few seconds or use the other server.");
        }
        if (lease is not null)
        {
            http.Response.RegisterForDispose(lease);
        }
        // A paused player stops reading for a while: the rate is enforced only after the stalled-stream grace, and
        // then at a realistic minimum, so a client trickling a byte a second cannot hold a slot for ever.
        if (!front && http.Features.Get<IHttpMinResponseDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = new MinDataRate(bytesPerSecond: options.Value.MinStreamBytesPerSecond, gracePeriod: options.Value.StalledStreamTimeout);
        }
        http.Response.Headers.CacheControl = options.Value.CacheControl;
        // Media shares the CMI's origin: nothing served from here may run script or load anything, even when opened
        // directly (an SVG or an HTML file with script in it). Types a browser would render as a page are downloads.
        http.Response.Headers.ContentSecurityPolicy = MediaSecurity.ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (MediaSecurity.IsDownload(record.ContentType))
        {
            http.Response.Headers.ContentDisposition = MediaSecurity.Attachment(record.Path);
        }
        if (command is not null)
        {
            if (held is null && !derivatives.Has(derivativeKey!)
                && !budget.TryTake(Embassy.Core.RateLimitPolicies.ClientKey(http), out var wait))
            {
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: Embassy.Core.ProblemTitles.TooManyRequests,
                    detail: $"This address has had {imageOptions.Value.NewDerivativesPerMinute} new image variants made in the last minute (Embassy:Media:Images:NewDerivativesPerMinute); variants made already are still served.");
            }
            var (derivative, problem) = held is not null ? (held, null) : await MakeDerivativeAsync(http, file, derivativeKey!, command, derivatives, cancellationToken);
            if (derivative is null)
            {
                return problem!;
            }
            if (front)
            {
                return Embassy.Core.FrontSendfile.Send(http, Embassy.Core.FrontSendfile.Redirect(Embassy.Core.FrontSendfile.DerivativeLocation,
                    Path.GetRelativePath(derivatives.Directory, derivative.File).Replace('\\', '/')), derivative.ContentType, derivative.ETag, LastModified(record));
            }
            // Answered from memory: the next request for this URL is answered the same way before routing.
            memo.Remember(http.Request, seen, entry!.FreshUntil, LastModified(record), derivative, varyByAccept);
            return Respond(record, derivative);
        }
        // The ETag is the content's hash, so master and standby give the same one and a download
        // resumes across servers with If-Range (RFC 9110 §13.1.5).
        var etag = new EntityTagHeaderValue($"\"{record.Sha256[..32]}\"");
        if (front)
        {
            // Remembered: the next range of this file is answered the same way before routing.
            var redirect = Embassy.Core.FrontSendfile.Redirect(Embassy.Core.FrontSendfile.MediaLocation, record.Path);
            sent.Remember(http.Request, seen.Index, entry!.FreshUntil, redirect, record.ContentType, etag.Tag.Value!, LastModified(record),
                http.Response.Headers.ContentDisposition.Count > 0 ? http.Response.Headers.ContentDisposition.ToString() : null);
            return Embassy.Core.FrontSendfile.Send(http, redirect, record.ContentType, etag.Tag.Value!, LastModified(record));
        }
        if (options.Value.SendChunkKilobytes > 0 && http.Features.Get<IHttpResponseBodyFeature>() is { } body)
        {
            http.Features.Set<IHttpResponseBodyFeature>(new LargeChunkFileSender(body, options.Value.SendChunkKilobytes * 1024));
        }
        return TypedResults.PhysicalFile(file, record.ContentType, lastModified: new DateTimeOffset(record.ModifiedUtc), entityTag: etag,
            enableRangeProcessing: true);
    }

    /// <summary>The derivative, made now if need be; or the problem to answer instead (a 422 for an image that cannot be
    /// read, a 503 when as many transforms run as allowed).</summary>
    private static async Task<(Derivative? Derivative, IResult? Problem)> MakeDerivativeAsync(HttpContext http, string file, string key, ImageCommand command,
        DerivativeCache derivatives, CancellationToken cancellationToken)
    {
        try
        {
            var (derivative, refusal) = await derivatives.GetAsync(file, key, command, cancellationToken);
            if (derivative is not null)
            {
                return (derivative, null);
            }
            http.Response.Headers.RetryAfter = "2";
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: Embassy.Core.ProblemTitles.Unavailable,
                detail: $"The server is resizing as many images as it is configured to (Embassy:Media:Images:MaxConcurrentTransforms, {refusal}); retry in a few seconds."));
        }
        catch (ImageRefusedException ex)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Image cannot be transformed", detail: ex.Message));
        }
    }

    private static DateTimeOffset LastModified(Data.MediaFileRecord record) => new(record.ModifiedUtc);

    /// <summary>Strong: the same source bytes, command and encoder give the same derivative bytes on either server.</summary>
    private static IResult Respond(Data.MediaFileRecord record, Derivative derivative) => derivative.Bytes is { } bytes
        ? TypedResults.Bytes(bytes, derivative.ContentType, lastModified: LastModified(record),
            entityTag: new EntityTagHeaderValue(derivative.ETag), enableRangeProcessing: true)
        : TypedResults.PhysicalFile(derivative.File, derivative.ContentType, lastModified: LastModified(record),
            entityTag: new EntityTagHeaderValue(derivative.ETag), enableRangeProcessing: true);

    private static ProblemHttpResult BadImageRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: Embassy.Core.ProblemTitles.BadRequest, detail: detail);
}
