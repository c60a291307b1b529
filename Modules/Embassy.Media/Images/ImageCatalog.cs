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
/// The sizes of every image in the media index and the profile names — one query for all images, so writing an item's
/// JSON (which is synchronous) needs no database call per image. The profile names follow the definitions
/// (<see cref="MediaProfiles"/>, read again when they change); the sizes follow the media version (<see cref="MediaWatch"/>)
/// and are read again after <see cref="MediaOptions.IndexCacheDuration"/> at most, as the media index cache's rows are.
/// </summary>
public sealed class ImageCatalog(IServiceScopeFactory scopes, MediaProfiles profiles, MediaWatch media, IOptions<MediaOptions> options, TimeProvider clock)
    : IDisposable
{
    private volatile Entry? _entry;
    private readonly SemaphoreSlim _loading = new(1, 1);

    public async ValueTask<ImageCatalogSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_entry is { } entry && Current(entry))
        {
            return entry.Snapshot;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_entry is { } again && Current(again))
            {
                return again.Snapshot;
            }
            var generation = profiles.Generation;
            var version = media.Version;
            await using var scope = scopes.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<EmbassyDbContext>().Set<MediaFileRecord>().AsNoTracking()
                .Where(m => m.Width != null && m.Height != null)
                .Select(m => new { m.Path, m.Width, m.Height })
                .ToListAsync(cancellationToken);
            var snapshot = new ImageCatalogSnapshot(
                rows.ToDictionary(r => r.Path, r => (r.Width!.Value, r.Height!.Value), StringComparer.Ordinal),
                (await profiles.GetAsync(cancellationToken)).Keys.ToList());
            _entry = new Entry(snapshot, clock.GetTimestamp(), generation, version);
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private bool Current(Entry entry) =>
        entry.ProfilesGeneration == profiles.Generation && entry.MediaVersion == media.Version
        && clock.GetElapsedTime(entry.ReadAt) < options.Value.IndexCacheDuration;

    public void Dispose() => _loading.Dispose();

    private sealed record Entry(ImageCatalogSnapshot Snapshot, long ReadAt, long ProfilesGeneration, long MediaVersion);
}
