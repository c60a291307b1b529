using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Embassy.Media;

/// <summary>
/// The per-address limit on /media requests: a token bucket per client address that holds up to
/// <see cref="MediaOptions.RateLimitBurst"/> requests and refills at <see cref="MediaOptions.RateLimitPerSecond"/>.
/// One bucket for every /media request, whether the answer comes from memory ahead of routing
/// (<see cref="Images.HeldResponses"/>) or from the endpoint. Kept here rather than as an ASP.NET Core rate-limiter
/// policy because that one is applied by the routed endpoint only, and costs two allocations and two locks per request
/// (bench/images.sh); this costs one dictionary read and one uncontended lock. Refills by the monotonic clock: a limit on
/// request rates is about real time, not the application's clock.
/// </summary>
public sealed class MediaRateLimit(IOptions<MediaOptions> options)
{
    /// <summary>How often the buckets of addresses that have been quiet long enough to be full again are dropped.</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private long _nextSweep = Stopwatch.GetTimestamp() + (long)(SweepInterval.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Addresses with a bucket now.</summary>
    public int Clients => _buckets.Count;

    /// <summary>Takes one request from <paramref name="client"/>'s bucket; false, with how long until one is there, when it is empty.</summary>
    public bool TryTake(string client, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = Stopwatch.GetTimestamp();
        SweepWhenDue(now);
        var limits = options.Value;
        var bucket = _buckets.GetOrAdd(client, static (_, state) => new Bucket(state.RateLimitBurst, Stopwatch.GetTimestamp()), limits);
        lock (bucket)
        {
            var tokens = Refilled(bucket, now, limits);
            bucket.At = now;
            if (tokens >= 1)
            {
                bucket.Tokens = tokens - 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            bucket.Tokens = tokens;
            retryAfter = TimeSpan.FromSeconds((1 - tokens) / Math.Max(1, limits.RateLimitPerSecond));
            return false;
        }
    }

    private static double Refilled(Bucket bucket, long now, MediaOptions limits) =>
        Math.Min(limits.RateLimitBurst, bucket.Tokens + (double)(now - bucket.At) / Stopwatch.Frequency * limits.RateLimitPerSecond);

    /// <summary>Drops buckets that have refilled: one made afresh is the same full bucket. A request that took its
    /// bucket from the dictionary just before the drop takes from the dropped one: that address may get one request more.</summary>
    private void SweepWhenDue(long now)
    {
        var due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(SweepInterval.TotalSeconds * Stopwatch.Frequency), due) != due)
        {
            return;
        }
        var limits = options.Value;
        foreach (var (client, bucket) in _buckets)
        {
            bool full;
            lock (bucket)
            {
                full = Refilled(bucket, now, limits) >= limits.RateLimitBurst;
            }
            if (full)
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(client, bucket));
            }
        }
    }

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens { get; set; } = tokens;

        public long At { get; set; } = at;
    }
}
