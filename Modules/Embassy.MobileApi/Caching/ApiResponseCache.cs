using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Caching;

/// <summary>
/// Serialized API responses in memory. Keys carry the content head (feed sequence and definitions
/// version), so a change anywhere makes every older entry unreachable; they age out by size and time.
/// </summary>
public sealed class ApiResponseCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly ContentHeadWatcher _watcher;
    private readonly bool _enabled;

    public ApiResponseCache(ContentHeadWatcher watcher, IOptions<MobileApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _watcher = watcher;
        _enabled = options.Value.CacheEnabled;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheSizeMegabytes * 1024L * 1024L, CompactionPercentage = 0.25 });
    }

    /// <summary>The cached response for <paramref name="key"/> at the current head, or <paramref name="factory"/>'s, stored.</summary>
    public async ValueTask<CachedResponse> GetOrCreateAsync(string key, Func<Task<CachedResponse>> factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!_enabled)
        {
            return await factory();
        }
        var head = _watcher.Head;
        if (head.Sequence < 0)
        {
            head = await _watcher.RefreshAsync(cancellationToken);
        }
        var fullKey = string.Concat(key, "\n", head.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), ":",
            head.DefinitionsVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_cache.TryGetValue(fullKey, out CachedResponse? cached) && cached is not null)
        {
            return cached;
        }
        var response = await factory();
        _cache.Set(fullKey, response, new MemoryCacheEntryOptions { Size = response.Size, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return response;
    }

    public void Dispose() => _cache.Dispose();
}
