using Embassy.Core;
using Embassy.Media.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Services;

/// <summary>
/// Index rows of served media, kept in memory: a video player asks for many ranges of one file, and each would
/// otherwise cost a database read. A row is used while the media version it was read under is current
/// (<see cref="MediaWatch"/>: a file changed on either server moves it, and every row is read again), and for
/// <see cref="MediaOptions.IndexCacheDuration"/> at most.
/// </summary>
public sealed class MediaIndexCache : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<MediaOptions> _options;
    private readonly TimeProvider _clock;
    private readonly MediaWatch _media;
    private long _generation;

    public MediaIndexCache(IServiceScopeFactory scopes, IOptions<MediaOptions> options, TimeProvider clock, MediaWatch media)
    {
        ArgumentNullException.ThrowIfNull(media);
        _scopes = scopes;
        _options = options;
        _clock = clock;
        _media = media;
        media.Changed += _ =>
        {
            _cache.Clear();
            Interlocked.Increment(ref _generation);
        };
    }

    /// <summary>Changes whenever a path is forgotten (a file replaced, moved, deleted or restored on this server):
    /// whatever was derived from a row read before may be wrong now.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public async ValueTask<MediaFileRecord?> FindAsync(string path, CancellationToken cancellationToken) =>
        (await FindEntryAsync(path, cancellationToken)).Record;

    /// <summary>The row at <paramref name="path"/> (null when there is none) and until when (<see cref="TimeProvider.GetTimestamp"/>)
    /// it may be used without reading the database again.</summary>
    public async ValueTask<Entry> FindEntryAsync(string path, CancellationToken cancellationToken)
    {
        // The version is taken before the read: a row read while it moves is of the old version, and not used again.
        var version = _media.Version;
        if (_cache.TryGetValue(path, out Entry? cached) && cached!.Version == version)
        {
            return cached;
        }
        await using var scope = _scopes.CreateAsyncScope();
        var record = await scope.ServiceProvider.GetRequiredService<EmbassyDbContext>().Set<MediaFileRecord>()
            .AsNoTracking().FirstOrDefaultAsync(m => m.Path == path, cancellationToken);
        var duration = _options.Value.IndexCacheDuration;
        var entry = new Entry(record, _clock.GetTimestamp() + (long)(duration.TotalSeconds * _clock.TimestampFrequency), version);
        if (duration > TimeSpan.Zero) // zero: always read the database
        {
            _cache.Set(path, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = duration });
        }
        return entry;
    }

    /// <summary>Drops the row, then moves <see cref="Generation"/> on: a reader who took the generation before reading
    /// the row either read it before it was dropped (and holds the old generation) or reads the database.</summary>
    public void Forget(string path)
    {
        _cache.Remove(path);
        Interlocked.Increment(ref _generation);
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>An index row as read, the timestamp until which it stands for the database at most, and the media
    /// version it was read under.</summary>
    public sealed record Entry(MediaFileRecord? Record, long FreshUntil, long Version);
}
