using System.Collections.Concurrent;
using Embassy.Media.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Embassy.Media.Images;

/// <summary>
/// Answers a request for a derivative held in memory before routing, with no allocation of its own: the URL (path and
/// query as the request gave them, and the Accept header where the format depends on it) is looked up among those the
/// endpoint answered from memory, and the same status, headers and bytes are written. It is a memo of the endpoint's
/// answer, never a second implementation of it: only the endpoint adds URLs (after it has checked the path, the
/// parameters and the profiles), and an answer is used only while everything it came from is as it was:
/// <list type="bullet">
/// <item>the index row and the profiles it was made from are no older than <see cref="MediaOptions.IndexCacheDuration"/>
/// (as the endpoint's own caches are), and no file or profile has changed on this server since;</item>
/// <item>the derivative cache still holds the bytes (an evicted derivative is never served from here).</item>
/// </list>
/// Ranges and conditional requests other than If-None-Match go to the endpoint, which handles them all.
/// </summary>
public sealed class HeldResponses
{
    /// <summary>URLs remembered at most; past it the memo starts again (so no client can grow it without bound by
    /// varying a query: hostile or not, the endpoint answers as before).</summary>
    public const int MaxUrls = 20_000;

    /// <summary>Accept headers remembered per URL whose format depends on it.</summary>
    public const int MaxVariants = 4;

    /// <summary>The longest path and query (and Accept) remembered, in characters: the endpoint ignores query parameters
    /// it does not know (an app's cache-busting <c>?v=2</c>), so without a bound 20,000 padded URLs of 8 KB would hold
    /// hundreds of megabytes. Real derivative URLs are a tenth of this.</summary>
    public const int MaxUrlLength = 512;

    private static readonly StringValues AcceptRanges = "bytes";
    private static readonly StringValues Security = MediaSecurity.ContentSecurityPolicy;
    private static readonly StringValues NoSniff = "nosniff";
    private static readonly StringValues VaryAccept = "Accept";

    private readonly ConcurrentDictionary<(string Path, string Query), Memo> _memos = new();
    private readonly MediaIndexCache _index;
    private readonly MediaProfiles _profiles;
    private readonly TimeProvider _clock;
    private readonly StringValues _cacheControl;
    private int _count;
    private long _served;

    public HeldResponses(MediaIndexCache index, MediaProfiles profiles, IOptions<MediaOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _profiles = profiles;
        _clock = clock;
        _cacheControl = options.Value.CacheControl;
    }

    /// <summary>Requests answered from here since the start.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>What the endpoint knew when it read the index row and the profiles: taken before either is read, so a
    /// change on this server while the request runs makes its answer unusable here.</summary>
    public readonly record struct Generations(long Index, long Profiles);

    public Generations Now() => new(_index.Generation, _profiles.Generation);

    /// <summary>Called by the endpoint when it answers <paramref name="request"/> with a derivative held in memory.</summary>
    internal void Remember(HttpRequest request, Generations seen, long freshUntil, DateTimeOffset lastModified, Derivative derivative, bool varyByAccept)
    {
        var accept = request.Headers.Accept;
        if (derivative.Held is not { } held || accept.Count > 1 || !request.QueryString.HasValue || request.Path.Value is not { } path
            || path.Length + request.QueryString.Value!.Length + (varyByAccept ? accept.ToString().Length : 0) > MaxUrlLength)
        {
            return;
        }
        freshUntil = Math.Min(freshUntil, _profiles.FreshUntil);
        if (freshUntil <= _clock.GetTimestamp())
        {
            return; // zero IndexCacheDuration (always read the database), or already stale
        }
        var answer = new Answer(varyByAccept ? accept.ToString() : null, held, seen, freshUntil, derivative.ContentType,
            derivative.ETag, HeaderUtilities.FormatDate(lastModified), varyByAccept);
        var key = (path, request.QueryString.Value!);
        if (_memos.TryGetValue(key, out var memo))
        {
            // Answers for other Accept headers that are still usable stay beside this one; the one it replaces goes.
            var kept = memo.Answers.Where(a => varyByAccept && a.Varies && a.Accept != answer.Accept && a.Usable(this, _clock.GetTimestamp())).Take(MaxVariants - 1);
            _memos[key] = new Memo([answer, .. kept]);
            return;
        }
        if (Interlocked.Increment(ref _count) > MaxUrls)
        {
            _memos.Clear();
            Interlocked.Exchange(ref _count, 1);
        }
        _memos[key] = new Memo([answer]);
    }

    /// <summary>The answer to a GET or HEAD of a derivative held in memory, written; null when the endpoint must answer.</summary>
    public Task? TryServe(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (!request.QueryString.HasValue || request.Path.Value is not { } path)
        {
            return null;
        }
        var head = HttpMethods.IsHead(request.Method);
        if (!head && !HttpMethods.IsGet(request.Method))
        {
            return null;
        }
        var headers = request.Headers;
        if (headers.Range.Count != 0 || headers.IfRange.Count != 0 || headers.IfMatch.Count != 0
            || headers.IfModifiedSince.Count != 0 || headers.IfUnmodifiedSince.Count != 0 || headers.Accept.Count > 1)
        {
            return null;
        }
        if (!_memos.TryGetValue((path, request.QueryString.Value!), out var memo))
        {
            return null;
        }
        var answer = memo.Find(headers.Accept.Count == 0 ? "" : headers.Accept[0]!);
        var now = _clock.GetTimestamp();
        if (answer is null || !answer.Usable(this, now) || answer.Held.Bytes is not { } bytes)
        {
            return null;
        }
        answer.Held.LastUse = now;
        Interlocked.Increment(ref _served);
        var response = http.Response;
        var sent = response.Headers;
        if (answer.Varies)
        {
            sent.Vary = VaryAccept;
        }
        if (DerivativeCache.NotModified(headers.IfNoneMatch, answer.ETag[0]!))
        {
            // As the endpoint answers a 304: the validator and the caching headers, no body.
            sent.ETag = answer.ETag;
            sent.CacheControl = _cacheControl;
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status200OK;
        sent.CacheControl = _cacheControl;
        sent.ContentSecurityPolicy = Security;
        sent.XContentTypeOptions = NoSniff;
        sent.ContentType = answer.ContentType;
        sent.LastModified = answer.LastModified;
        sent.ETag = answer.ETag;
        sent.AcceptRanges = AcceptRanges;
        response.ContentLength = bytes.Length;
        if (head)
        {
            return Task.CompletedTask;
        }
        var write = response.BodyWriter.WriteAsync(bytes, http.RequestAborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }


    private sealed class Memo(Answer[] answers)
    {
        public Answer[] Answers { get; } = answers;

        public Answer? Find(string accept)
        {
            foreach (var answer in Answers)
            {
                if (!answer.Varies || string.Equals(answer.Accept, accept, StringComparison.Ordinal))
                {
                    return answer;
                }
            }
            return null;
        }
    }

    private sealed class Answer(string? accept, DerivativeCache.Entry held, Generations seen, long freshUntil, string contentType, string etag,
        string lastModified, bool varies)
    {
        public string? Accept { get; } = accept;

        public DerivativeCache.Entry Held { get; } = held;

        public StringValues ContentType { get; } = contentType;

        public StringValues ETag { get; } = etag;

        public StringValues LastModified { get; } = lastModified;

        public bool Varies { get; } = varies;

        public bool Usable(HeldResponses owner, long now) =>
            now < freshUntil && !Held.Evicted && seen == owner.Now();
    }
}
