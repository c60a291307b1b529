using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Services;

public enum AdmissionRefusal
{
    None,
    /// <summary>The server serves as many streams as it is configured to (503).</summary>
    ServerFull,
    /// <summary>This client address has as many streams open as one client may (429).</summary>
    ClientFull,
}

/// <summary>
/// Counts media responses in flight, in all and per client address; past either limit new ones are turned away
/// (503 for the server, 429 for one client), so the API stays responsive and no single client holds every slot.
/// </summary>
public sealed class StreamAdmission(IOptions<MediaOptions> options)
{
    /// <summary>How often counters of clients with nothing open are dropped.</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, StrongBox<int>> _perClient = new(StringComparer.Ordinal);
    private int _active;
    private long _nextSweep = Environment.TickCount64 + (long)SweepInterval.TotalMilliseconds;

    public int Active => Volatile.Read(ref _active);

    /// <summary>Streams open for one client now.</summary>
    public int ActiveFor(string client) => _perClient.TryGetValue(client, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>A lease to dispose when the response ends; null (and why) when a limit is reached.</summary>
    public IDisposable? TryEnter(string client, out AdmissionRefusal refusal)
    {
        if (Interlocked.Increment(ref _active) > options.Value.MaxConcurrentStreams)
        {
            Interlocked.Decrement(ref _active);
            refusal = AdmissionRefusal.ServerFull;
            return null;
        }
        SweepWhenDue();
        var count = _perClient.GetOrAdd(client, _ => new StrongBox<int>(0));
        if (Interlocked.Increment(ref count.Value) > options.Value.MaxStreamsPerClient)
        {
            Interlocked.Decrement(ref count.Value);
            Interlocked.Decrement(ref _active);
            refusal = AdmissionRefusal.ClientFull;
            return null;
        }
        refusal = AdmissionRefusal.None;
        return new Lease(this, count);
    }

    private void Leave(StrongBox<int> count)
    {
        Interlocked.Decrement(ref count.Value);
        Interlocked.Decrement(ref _active);
    }

    /// <summary>
    /// Idle clients' counters are dropped every <see cref="SweepInterval"/>, not as each response ends: removing and
    /// re-adding an address's counter on every request took the dictionary's locks twice per request, and 64 busy
    /// connections from one address contended for them (bench/images.sh). A lease taken while its counter is being
    /// dropped counts on a counter no longer listed, so that address may briefly open one response more than
    /// Embassy:Media:MaxStreamsPerClient; the server-wide limit stays exact.
    /// </summary>
    private void SweepWhenDue()
    {
        var due = Volatile.Read(ref _nextSweep);
        var now = Environment.TickCount64;
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)SweepInterval.TotalMilliseconds, due) != due)
        {
            return;
        }
        foreach (var (client, count) in _perClient)
        {
            if (Volatile.Read(ref count.Value) == 0)
            {
                _perClient.TryRemove(new KeyValuePair<string, StrongBox<int>>(client, count));
            }
        }
    }

    private sealed class Lease(StreamAdmission owner, StrongBox<int> count) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(count);
            }
        }
    }
}
