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
    private readonly ConcurrentDictionary<string, StrongBox<int>> _perClient = new(StringComparer.Ordinal);
    private int _active;

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
        var count = _perClient.GetOrAdd(client, _ => new StrongBox<int>(0));
        if (Interlocked.Increment(ref count.Value) > options.Value.MaxStreamsPerClient)
        {
            Interlocked.Decrement(ref count.Value);
            Interlocked.Decrement(ref _active);
            refusal = AdmissionRefusal.ClientFull;
            return null;
        }
        refusal = AdmissionRefusal.None;
        return new Lease(this, client, count);
    }

    private void Leave(string client, StrongBox<int> count)
    {
        if (Interlocked.Decrement(ref count.Value) == 0)
        {
            // Forget idle clients (a new lease for the client re-adds it); a racing increment keeps its own box.
            _perClient.TryRemove(new KeyValuePair<string, StrongBox<int>>(client, count));
        }
        Interlocked.Decrement(ref _active);
    }

    private sealed class Lease(StreamAdmission owner, string client, StrongBox<int> count) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(client, count);
            }
        }
    }
}
