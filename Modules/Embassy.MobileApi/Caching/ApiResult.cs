using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Embassy.MobileApi.Caching;

/// <summary>
/// Writes a <see cref="CachedResponse"/> by the RFC: If-None-Match → 304 (weak comparison, RFC 9110 §13.1.2),
/// the encoding the client accepts (Brotli, gzip or none; Vary says so), ETag, Cache-Control, Content-Language.
/// One small IResult instead of the framework's JSON result: the bytes are already computed, so the hot
/// path is a lookup and a write.
/// </summary>
public sealed class ApiResult(CachedResponse response) : IResult
{
    private const int CompressAbove = 1024;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var headers = httpContext.Response.Headers;
        var (body, etag, encoding) = Select(request.Headers.AcceptEncoding.ToString());
        headers.ETag = etag;
        headers.CacheControl = response.CacheControl;
        headers.Vary = "Accept-Encoding, Accept-Language";
        if (response.IsPublic)
        {
            // For the front (deploy/nginx, ADR 0014): keep this answer until the end of the second it was given in, then
            // revalidate it with the ETag. nginx counts in whole seconds, so "1 s" would be up to 2; this is up to 1.
            // nginx takes the header out; a client without a front ignores it.
            headers["X-Accel-Expires"] = FrontExpiry.ThisSecond();
        }
        if (response.ContentLanguage is not null)
        {
            headers.ContentLanguage = response.ContentLanguage;
        }
        if (Matches(request.Headers.IfNoneMatch.ToString()))
        {
            httpContext.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }
        httpContext.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }

    private (byte[] Body, string ETag, string? Encoding) Select(string acceptEncoding)
    {
        if (response.Body.Length > CompressAbove && acceptEncoding.Length > 0)
        {
            if (Accepts(acceptEncoding, "br"))
            {
                return (response.Brotli, response.BrotliETag, "br");
            }
            if (Accepts(acceptEncoding, "gzip"))
            {
                return (response.Gzip, response.GzipETag, "gzip");
            }
        }
        return (response.Body, response.ETag, null);
    }

    private static bool Accepts(string acceptEncoding, string coding) =>
        StringWithQualityHeaderValue.TryParseList(acceptEncoding.Split(','), out var values) &&
        values.Any(v => v.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) && (v.Quality ?? 1) > 0);

    private bool Matches(string ifNoneMatch)
    {
        if (ifNoneMatch.Length == 0)
        {
            return false;
        }
        if (ifNoneMatch.Trim() == "*")
        {
            return true;
        }
        // Any representation of the same content matches: the client's copy is current.
        return EntityTagHeaderValue.TryParseList(ifNoneMatch.Split(','), out var tags) &&
               tags.Any(t => t.Tag.Value is { } value && value.Trim('"').Split('-')[0] == response.Tag);
    }
}

/// <summary>"@" and the current Unix second, as nginx's X-Accel-Expires takes an absolute time: made once a second.</summary>
internal static class FrontExpiry
{
    private static Tuple<long, string> _current = Tuple.Create(0L, "@0");

    /// <summary>The system clock, not the application's <see cref="TimeProvider"/>: nginx compares it with its own.</summary>
    public static string ThisSecond()
    {
        var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var current = Volatile.Read(ref _current);
        if (current.Item1 != second)
        {
            current = Tuple.Create(second, "@" + second.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Volatile.Write(ref _current, current);
        }
        return current.Item2;
    }
}
