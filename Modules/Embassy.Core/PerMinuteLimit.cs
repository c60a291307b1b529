using System.Threading.RateLimiting;

namespace Embassy.Core;

/// <summary>
/// A count per key (a client address) and minute, in a fixed window: the one shape the per-client budgets share —
/// sign-in attempts, new image derivatives, wrong preview tokens. In memory, per server.
/// </summary>
public sealed class PerMinuteLimit(Func<int> permits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits()),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Takes one from the key's minute; false, with how long to wait, when it is spent.</summary>
    public bool TryTake(string key, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(key);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    /// <summary>Whether the key has nothing left this minute (nothing is taken).</summary>
    public bool Exhausted(string key) => _limiter.GetStatistics(key)?.CurrentAvailablePermits == 0;

    public void Dispose() => _limiter.Dispose();
}
