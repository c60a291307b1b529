using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Embassy.Core;

/// <summary>
/// The front (deploy/nginx/embassy-front.conf) sends files itself: for a request it marks with
/// <c>X-Embassy-Front: sendfile</c>, the app decides everything about a file response (which file, rights, limits,
/// validators, type, the preconditions' 304 or 412) and answers with headers only and <c>X-Accel-Redirect</c> naming the
/// file under one of the front's two internal locations; nginx sends the bytes with sendfile and handles the ranges
/// (against the app's ETag and Last-Modified, which it repeats). Believed only from a known proxy
/// (Embassy:Proxy:KnownProxies): anyone else's header is dropped, and the app answers with the bytes as it always does.
/// </summary>
public static class FrontSendfile
{
    public const string RequestHeader = "X-Embassy-Front";
    public const string RequestValue = "sendfile";

    /// <summary>nginx's header naming the file it is to send instead of the body.</summary>
    public const string RedirectHeader = "X-Accel-Redirect";

    /// <summary>The front's internal location for originals, HLS files and everything else under the media directory.</summary>
    public const string MediaLocation = "/_embassy/files/media/";

    /// <summary>The front's internal location for the image derivative cache's directory.</summary>
    public const string DerivativeLocation = "/_embassy/files/derivatives/";

    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }

    /// <summary>Whether this request's file may be sent by the front: it asked, and nginx would answer it as the app does.
    /// Two kinds of request are the app's to send itself, both rare from players and phones: one with If-Match or
    /// If-Unmodified-Since (nginx checks them against its own validators, off here, or the file's mtime, and answers
    /// 412 where the app would send the file), and one with a malformed Range (<c>bytes=abc</c>, <c>bytes=9-2</c>),
    /// to which nginx answers 416 where the app, as RFC 9110 §14.2 allows, ignores it with a 200.</summary>
    public static bool IsAvailable(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var headers = http.Request.Headers;
        return http.Features.Get<Marker>() is not null && headers.IfMatch.Count == 0 && headers.IfUnmodifiedSince.Count == 0
            && RangeIsWellFormed(headers.Range);
    }

    private static bool RangeIsWellFormed(StringValues range)
    {
        if (range.Count == 0)
        {
            return true;
        }
        if (range.Count > 1 || !Microsoft.Net.Http.Headers.RangeHeaderValue.TryParse(range.ToString(), out var parsed))
        {
            return false;
        }
        return !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || parsed.Ranges.All(r => r.From is null || r.To is null || r.From <= r.To);
    }

    /// <summary>Run first, before the forwarded headers are applied: marks a request from <paramref name="proxies"/>
    /// that asks for it, and drops the header from every request.</summary>
    public static void Mark(HttpContext http, IReadOnlySet<System.Net.IPAddress> proxies)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(proxies);
        if (!http.Request.Headers.TryGetValue(RequestHeader, out var value))
        {
            return;
        }
        http.Request.Headers.Remove(RequestHeader);
        if (value == RequestValue && http.Connection.RemoteIpAddress is { } peer
            && (proxies.Contains(peer) || peer.IsIPv4MappedToIPv6 && proxies.Contains(peer.MapToIPv4())))
        {
            http.Features.Set(Marker.Instance);
        }
    }

    /// <summary>The redirect's URI for <paramref name="relativePath"/> under <paramref name="location"/>: each segment
    /// percent-encoded, as nginx decodes the redirect's URI, so spaces, <c>#</c>, <c>%</c> and any letter arrive as they
    /// are named on disk.</summary>
    public static string Redirect(string location, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return location + string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>
    /// Headers only, for the front to send the file <paramref name="redirect"/> names (<see cref="Redirect"/>). The
    /// preconditions that do not depend on a range (If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since) are
    /// answered here, as the file answer would; Range and If-Range are the front's.
    /// </summary>
    public static IResult Send(HttpContext http, string redirect, string contentType, string etag, DateTimeOffset lastModified)
    {
        ArgumentNullException.ThrowIfNull(http);
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.LastModified = Microsoft.Net.Http.Headers.HeaderUtilities.FormatDate(lastModified);
        var precondition = Preconditions(http.Request, etag, lastModified);
        if (precondition != StatusCodes.Status200OK)
        {
            return Results.StatusCode(precondition);
        }
        headers.ContentType = contentType; // Accept-Ranges is nginx's own
        headers[RedirectHeader] = redirect;
        return Results.Empty;
    }

    /// <summary>RFC 9110 §13.2.2's order: 412, 304, or 200 (go on).</summary>
    public static int Preconditions(HttpRequest request, string etag, DateTimeOffset lastModified)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;
        var seconds = lastModified.ToUnixTimeSeconds();
        if (headers.IfMatch.Count > 0)
        {
            if (!Matches(headers.IfMatch, etag, strong: true))
            {
                return StatusCodes.Status412PreconditionFailed;
            }
        }
        else if (Date(headers.IfUnmodifiedSince) is { } unmodifiedSince && seconds > unmodifiedSince.ToUnixTimeSeconds())
        {
            return StatusCodes.Status412PreconditionFailed;
        }
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (headers.IfNoneMatch.Count > 0)
        {
            if (Matches(headers.IfNoneMatch, etag, strong: false))
            {
                return read ? StatusCodes.Status304NotModified : StatusCodes.Status412PreconditionFailed;
            }
        }
        else if (read && Date(headers.IfModifiedSince) is { } modifiedSince && seconds <= modifiedSince.ToUnixTimeSeconds())
        {
            return StatusCodes.Status304NotModified;
        }
        return StatusCodes.Status200OK;
    }

    /// <summary>The framework's parser and comparison (RFC 9110 §8.8.3.2), as the file results use them.</summary>
    private static bool Matches(StringValues header, string etag, bool strong) =>
        Microsoft.Net.Http.Headers.EntityTagHeaderValue.TryParseList(header, out var tags)
        && tags.Any(t => t.Equals(Microsoft.Net.Http.Headers.EntityTagHeaderValue.Any) || t.Compare(new Microsoft.Net.Http.Headers.EntityTagHeaderValue(etag), strong));

    private static DateTimeOffset? Date(StringValues header) =>
        Microsoft.Net.Http.Headers.HeaderUtilities.TryParseDate(header.ToString(), out var date) ? date : null;
}
