using Microsoft.Extensions.Options;

namespace Embassy.Media.Services;

/// <summary>Counts media responses in flight; past the configured limit new ones are turned away (503) so the API stays responsive.</summary>
public sealed class StreamAdmission(IOptions<MediaOptions> options)
{
    private int _active;

    public int Active => Volatile.Read(ref _active);

    /// <summary>A lease to dispose when the response ends; null when the server is at its limit.</summary>
    public IDisposable? TryEnter()
    {
        if (Interlocked.Increment(ref _active) > options.Value.MaxConcurrentStreams)
        {
            Interlocked.Decrement(ref _active);
            return null;
        }
        return new Lease(this);
    }

    private sealed class Lease(StreamAdmission owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._active);
            }
        }
    }
}
