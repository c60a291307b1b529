using System.Diagnostics;

namespace Embassy.Testing;

/// <summary>
/// Waiting for what happens in the background: servers learn of changes by polling the change-feed head,
/// replicas catch up, video jobs run. Polls until the condition holds, and fails naming what did not happen.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Polls until <paramref name="condition"/> is true; returns how long it took.</summary>
    public static async Task<TimeSpan> TrueAsync(Func<Task<bool>> condition, string what, TimeSpan within, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > within)
            {
                throw new TimeoutException($"not within {within.TotalSeconds:0.#} s: {what}");
            }
            await Task.Delay(interval ?? DefaultInterval);
        }
        return watch.Elapsed;
    }

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds for its value, and returns that value;
    /// on timeout the message shows the last value seen.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan within, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            if (watch.Elapsed > within)
            {
                throw new TimeoutException($"not within {within.TotalSeconds:0.#} s: {what}; last seen: {value}");
            }
            await Task.Delay(interval ?? DefaultInterval);
        }
    }
}
