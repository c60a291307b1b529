using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Embassy.Admin.Security;

/// <summary>Why a sign-in attempt is not even tried: 429 (too many from the address) or 423 (this address is locked out of the account).</summary>
public sealed record SignInRefusal(int Status, string Message, TimeSpan RetryAfter)
{
    /// <summary>The Retry-After value in whole seconds (at least 1).</summary>
    public string RetryAfterHeader => Seconds(RetryAfter);

    public static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Guessing passwords is slowed per client address: a few attempts a minute (on the sign-in page and the session API
/// together), and after several wrong ones for an account that address is locked out of that account for a while.
/// Other addresses are not: an attacker cannot keep the real administrator out (Identity's own account lockout, which
/// would let them, is not used for wrong passwords; an administrator's "lock" still is).
/// </summary>
public sealed class SignInThrottle(IOptions<SecurityOptions> options, TimeProvider clock) : IDisposable
{
    private const int MaxTracked = 100_000;

    private readonly PartitionedRateLimiter<string> _attempts = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInAttemptsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private readonly ConcurrentDictionary<(string Account, string Address), Failures> _failures = new();

    public TimeSpan LockoutDuration => options.Value.LockoutDuration;

    /// <summary>
    /// The check every sign-in step (password page, code page, session API) makes first: counts the attempt, and says
    /// why it may not go on, or null when it may.
    /// </summary>
    public SignInRefusal? Admit(string account, string address)
    {
        if (!TryAttempt(address, out var wait))
        {
            return new(429, $"Too many sign-in attempts from this address: try again in {Math.Ceiling(wait.TotalSeconds)} s.", wait);
        }
        return IsLockedOut(account, address, out var remaining)
            ? new(423, $"Too many wrong passwords or codes: this account is locked from this address for {Math.Ceiling(remaining.TotalMinutes)} minutes.", remaining)
            : null;
    }

    /// <summary>Counts an attempt from <paramref name="address"/>; false (and how long to wait) past the per-minute limit.</summary>
    public bool TryAttempt(string address, out TimeSpan retryAfter)
    {
        using var lease = _attempts.AttemptAcquire(address);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    /// <summary>Whether this address is locked out of this account, and for how long still.</summary>
    public bool IsLockedOut(string account, string address, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (!_failures.TryGetValue(Key(account, address), out var failures))
        {
            return false;
        }
        lock (failures)
        {
            var now = clock.GetUtcNow();
            if (failures.LockedUntil > now)
            {
                remaining = failures.LockedUntil - now;
                return true;
            }
            return false;
        }
    }

    /// <summary>Records a wrong password or code; true when this one locks the address out of the account.</summary>
    public bool Failed(string account, string address)
    {
        if (_failures.Count > MaxTracked)
        {
            Prune();
        }
        var failures = _failures.GetOrAdd(Key(account, address), _ => new Failures());
        lock (failures)
        {
            var now = clock.GetUtcNow();
            if (failures.LockedUntil <= now && failures.LockedUntil != default)
            {
                failures.Count = 0; // a lockout that has passed starts the count again
                failures.LockedUntil = default;
            }
            failures.LastUtc = now;
            if (++failures.Count >= options.Value.FailuresBeforeLockout)
            {
                failures.LockedUntil = now + options.Value.LockoutDuration;
                return true;
            }
            return false;
        }
    }

    public void Succeeded(string account, string address) => _failures.TryRemove(Key(account, address), out _);

    private static (string, string) Key(string account, string address) => (account.Trim().ToUpperInvariant(), address);

    private void Prune()
    {
        var cutoff = clock.GetUtcNow() - options.Value.LockoutDuration;
        foreach (var (key, failures) in _failures)
        {
            if (failures.LastUtc < cutoff && failures.LockedUntil < clock.GetUtcNow())
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    public void Dispose() => _attempts.Dispose();

    private sealed class Failures
    {
        public int Count { get; set; }
        public DateTimeOffset LockedUntil { get; set; }
        public DateTimeOffset LastUtc { get; set; }
    }
}
