using Embassy.Core;
using Embassy.Media.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Services;

/// <summary>
/// Index rows of served media, kept in memory for a few seconds: a video player asks for many ranges
/// of one file, and each would otherwise cost a database read. Replaced or deleted files are seen
/// within <see cref="MediaOptions.IndexCacheDuration"/>.
/// </summary>
public sealed class MediaIndexCache(IServiceScopeFactory scopes, IOptions<MediaOptions> options) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async ValueTask<MediaFileRecord?> FindAsync(string path, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(path, out MediaFileRecord? cached))
        {
            return cached;
        }
        await using var scope = scopes.CreateAsyncScope();
        var record = await scope.ServiceProvider.GetRequiredService<EmbassyDbContext>().Set<MediaFileRecord>()
            .AsNoTracking().FirstOrDefaultAsync(m => m.Path == path, cancellationToken);
        if (options.Value.IndexCacheDuration > TimeSpan.Zero) // zero: always read the database
        {
            _cache.Set(path, record, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = options.Value.IndexCacheDuration });
        }
        return record;
    }

    public void Forget(string path) => _cache.Remove(path);

    public void Dispose() => _cache.Dispose();
}
