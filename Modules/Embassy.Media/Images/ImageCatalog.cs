using Embassy.Core;
using Embassy.Media.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Images;

/// <summary>What the API writes beside an image's URL: its size as shown, and the site's media profiles.</summary>
public sealed record ImageCatalogSnapshot(IReadOnlyDictionary<string, (int Width, int Height)> Sizes, IReadOnlyList<string> Profiles)
{
    public static readonly ImageCatalogSnapshot Empty = new(new Dictionary<string, (int, int)>(), []);
}

/// <summary>
/// The sizes of every image in the media index and the profile names, read again at most every
/// <see cref="MediaOptions.IndexCacheDuration"/> — one query for all images, so writing an item's JSON (which is
/// synchronous) needs no database call per image. A standby sees new rows as soon as they replicate.
/// </summary>
public sealed class ImageCatalog(IServiceScopeFactory scopes, MediaProfiles profiles, IOptions<MediaOptions> options, TimeProvider clock) : IDisposable
{
    private volatile Entry? _entry;
    private readonly SemaphoreSlim _loading = new(1, 1);

    public async ValueTask<ImageCatalogSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_entry is { } entry && clock.GetElapsedTime(entry.ReadAt) < options.Value.IndexCacheDuration)
        {
            return entry.Snapshot;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_entry is { } again && clock.GetElapsedTime(again.ReadAt) < options.Value.IndexCacheDuration)
            {
                return again.Snapshot;
            }
            await using var scope = scopes.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<EmbassyDbContext>().Set<MediaFileRecord>().AsNoTracking()
                .Where(m => m.Width != null && m.Height != null)
                .Select(m => new { m.Path, m.Width, m.Height })
                .ToListAsync(cancellationToken);
            var snapshot = new ImageCatalogSnapshot(
                rows.ToDictionary(r => r.Path, r => (r.Width!.Value, r.Height!.Value), StringComparer.Ordinal),
                (await profiles.GetAsync(cancellationToken)).Keys.ToList());
            _entry = new Entry(snapshot, clock.GetTimestamp());
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    private sealed record Entry(ImageCatalogSnapshot Snapshot, long ReadAt);
}
