using System.Collections.Concurrent;
using Embassy.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Embassy.Media.Services;

/// <summary>
/// The endpoint's answers to the front for files on /media (headers only, naming the file: <see cref="FrontSendfile"/>),
/// remembered per path and given again before routing while everything they came from is as it was: the index row no
/// older than <see cref="MediaOptions.IndexCacheDuration"/> and no media row changed on this server since (the index's
/// generation, taken before the row was read). A player asks for every second or two of a video by a range request,
/// each a decision the app makes: this is the same decision, made once per row. Only the endpoint adds paths (after it
/// has checked the path, the file's presence on this server and the limits); preconditions are answered here as there
/// (<see cref="FrontSendfile.Preconditions"/>), ranges by the front.
/// </summary>
public sealed class FrontAnswers
{
    /// <summary>Paths remembered at most; past it the memo starts again (no client can grow it without bound).</summary>
    public const int MaxPaths = 20_000;

    /// <summary>The longest path remembered, in characters.</summary>
    public const int MaxPathLength = 512;

    private static readonly StringValues Security = MediaSecurity.ContentSecurityPolicy;
    private static readonly StringValues NoSniff = "nosniff";

    private readonly ConcurrentDictionary<string, Answer> _answers = new(StringComparer.Ordinal);
    private readonly MediaIndexCache _index;
    private readonly TimeProvider _clock;
    private readonly StringValues _cacheControl;
    private int _count;
    private long _served;

    public FrontAnswers(MediaIndexCache index, IOptions<MediaOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _clock = clock;
        _cacheControl = options.Value.CacheControl;
    }

    /// <summary>Requests answered from here since the start.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Called by the endpoint when it answers the front for <paramref name="request"/> with a file.</summary>
    internal void Remember(HttpRequest request, long seenGeneration, long freshUntil, string redirect, string contentType, string etag,
        DateTimeOffset lastModified, string? contentDisposition)
    {
        if (request.QueryString.HasValue || request.Path.Value is not { } path || path.Length > MaxPathLength || freshUntil <= _clock.GetTimestamp())
        {
            return;
        }
        if (!_answers.ContainsKey(path) && Interlocked.Increment(ref _count) > MaxPaths)
        {
            _answers.Clear();
            Interlocked.Exchange(ref _count, 1);
        }
        _answers[path] = new Answer(seenGeneration, freshUntil, redirect, contentType, etag, lastModified, contentDisposition);
    }

    /// <summary>The answer to the front's GET or HEAD of a file decided before; null when the endpoint must answer.</summary>
    public Task? TryServe(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (request.QueryString.HasValue || request.Path.Value is not { } path || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || !_answers.TryGetValue(path, out var answer) || _clock.GetTimestamp() >= answer.FreshUntil || answer.Generation != _index.Generation)
        {
            return null;
        }
        Interlocked.Increment(ref _served);
        var response = http.Response;
        var headers = response.Headers;
        headers.CacheControl = _cacheControl;
        headers.ETag = answer.ETagHeader;
        headers.LastModified = answer.LastModifiedHeader;
        var status = FrontSendfile.Preconditions(request, answer.ETag, answer.LastModified);
        response.StatusCode = status;
        if (status == StatusCodes.Status200OK)
        {
            headers.ContentSecurityPolicy = Security;
            headers.XContentTypeOptions = NoSniff;
            headers.ContentType = answer.ContentType;
            if (answer.ContentDisposition is { } disposition)
            {
                headers.ContentDisposition = disposition;
            }
            headers[FrontSendfile.RedirectHeader] = answer.Redirect;
            response.ContentLength = 0;
        }
        return Task.CompletedTask;
    }

    private sealed class Answer(long generation, long freshUntil, string redirect, string contentType, string etag, DateTimeOffset lastModified,
        string? contentDisposition)
    {
        public long Generation { get; } = generation;

        public long FreshUntil { get; } = freshUntil;

        public StringValues Redirect { get; } = redirect;

        public StringValues ContentType { get; } = contentType;

        public string ETag { get; } = etag;

        public StringValues ETagHeader { get; } = etag;

        public DateTimeOffset LastModified { get; } = lastModified;

        public StringValues LastModifiedHeader { get; } = HeaderUtilities.FormatDate(lastModified);

        public string? ContentDisposition { get; } = contentDisposition;
    }
}
