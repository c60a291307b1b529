using System.Data.Common;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
/// The lockout's counts are in the database (<see cref="SignInFailureRecord"/>), which replicates: after a failover the
/// promoted server goes on counting. The per-minute limit is a rate, kept in memory: a failover restarts at most one
/// minute's window.
/// </summary>
public sealed partial class SignInThrottle(IOptions<SecurityOptions> options, TimeProvider clock, IServiceScopeFactory scopes, ILogger<SignInThrottle> log) : IDisposable
{
    private readonly PerMinuteLimit _attempts = new(() => options.Value.SignInAttemptsPerMinute);

    public TimeSpan LockoutDuration => options.Value.LockoutDuration;

    /// <summary>
    /// The check every sign-in step (password page, code page, session API, the password asked again) makes first:
    /// counts the attempt, and says why it may not go on, or null when it may.
    /// </summary>
    public async Task<SignInRefusal?> AdmitAsync(string account, string address, CancellationToken cancellationToken = default)
    {
        if (!TryAttempt(address, out var wait))
        {
            return new(429, $"Too many sign-in attempts from this address: try again in {Math.Ceiling(wait.TotalSeconds)} s.", wait);
        }
        var remaining = await LockedForAsync(account, address, cancellationToken);
        return remaining > TimeSpan.Zero
            ? new(423, $"Too many wrong passwords or codes: this account is locked from this address for {Math.Ceiling(remaining.TotalMinutes)} minutes.", remaining)
            : null;
    }

    /// <summary>Counts an attempt from <paramref name="address"/>; false (and how long to wait) past the per-minute limit.</summary>
    public bool TryAttempt(string address, out TimeSpan retryAfter) => _attempts.TryTake(address, out retryAfter);

    /// <summary>How much longer this address is locked out of this account (zero when it is not).</summary>
    public async Task<TimeSpan> LockedForAsync(string account, string address, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var key = Key(account);
        var until = await db.Set<SignInFailureRecord>().AsNoTracking()
            .Where(f => f.Account == key && f.Address == address).Select(f => f.LockedUntilUtc).FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return until is { } locked && locked > now ? locked - now : TimeSpan.Zero;
    }

    /// <summary>Records a wrong password or code; true when this one locks the address out of the account.</summary>
    public async Task<bool> FailedAsync(string account, string address, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var key = Key(account);
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var failures = await db.Set<SignInFailureRecord>().FirstOrDefaultAsync(f => f.Account == key && f.Address == address, cancellationToken);
            if (failures is null)
            {
                failures = new SignInFailureRecord { Account = key, Address = address };
                db.Add(failures);
                // A new count: those that have passed go (bounded by the per-minute limit of each address).
                var cutoff = now - 2 * options.Value.LockoutDuration;
                await db.Set<SignInFailureRecord>().Where(f => f.LastUtc < cutoff && (f.LockedUntilUtc == null || f.LockedUntilUtc < now))
                    .ExecuteDeleteAsync(cancellationToken);
            }
            if (failures.LockedUntilUtc is { } until && until <= now)
            {
                failures.Count = 0; // a lockout that has passed starts the count again
                failures.LockedUntilUtc = null;
            }
            failures.LastUtc = now;
            failures.Count++;
            var locks = failures.Count >= options.Value.FailuresBeforeLockout;
            if (locks)
            {
                failures.LockedUntilUtc = now + options.Value.LockoutDuration;
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return locks;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear(); // another attempt counted at the same moment: count again from its row
            }
            catch (DbUpdateException e)
            {
                // The database takes no write (a master paused without its standby): the per-minute limit still holds.
                NotCounted(log, e, key, address);
                return false;
            }
        }
    }

    public async Task SucceededAsync(string account, string address, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var key = Key(account);
        try
        {
            await db.Set<SignInFailureRecord>().Where(f => f.Account == key && f.Address == address).ExecuteDeleteAsync(cancellationToken);
        }
        catch (DbException e)
        {
            NotCleared(log, e, key, address);
        }
    }

    private static string Key(string account)
    {
        var key = account.Trim().ToUpperInvariant();
        return key.Length <= 256 ? key : key[..256];
    }

    public void Dispose() => _attempts.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A wrong sign-in for {Account} from {Address} could not be counted")]
    private static partial void NotCounted(ILogger logger, Exception exception, string account, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wrong sign-ins of {Account} from {Address} could not be cleared")]
    private static partial void NotCleared(ILogger logger, Exception exception, string account, string address);
}
