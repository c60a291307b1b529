using Embassy.Core;
using Embassy.Media.Services;
using Embassy.Video.Data;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Video.Services;

/// <summary>What the app learns of a video: where to stream it, its HLS playlist and poster, its length and state (the
/// /api/v1/videos response: its OpenAPI schema is made from this record).</summary>
[System.ComponentModel.Description("A video.")]
public sealed record PublicVideoInfo(
    [property: System.ComponentModel.Description("The SHA-256 of the file.")] string Id,
    string Path,
    string StreamUrl,
    string? HlsUrl,
    string? PosterUrl,
    double? DurationSeconds,
    int? Width,
    int? Height,
    long SizeBytes,
    string Sha256,
    [property: System.ComponentModel.Description("`ready`, or the processing state.")] string Status,
    [property: System.ComponentModel.Description("0 to 1.")] double Progress);

/// <summary>What editors see of a video job, including why it failed (ffmpeg's words, which name server paths).</summary>
public sealed record VideoInfo(string Id, string Path, string StreamUrl, string? HlsUrl, string? PosterUrl, double? DurationSeconds,
    int? Width, int? Height, long SizeBytes, string Sha256, string Status, double Progress, int Attempts, string? Error)
{
    public PublicVideoInfo ToPublic() =>
        new(Id, Path, StreamUrl, HlsUrl, PosterUrl, DurationSeconds, Width, Height, SizeBytes, Sha256, Status, Progress);

    public static VideoInfo From(VideoRecord v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var ready = v.Status == VideoStatus.Ready;
        // Through the one escaping helper: a stored name may hold spaces, '#' and letters beyond ASCII.
        return new(v.Sha256, v.Path, MediaPath.Url(v.Path), ready ? MediaPath.Url(VideoOptions.HlsPath(v.Path)) : null,
            ready ? MediaPath.Url(VideoOptions.PosterPath(v.Path)) : null, v.DurationSeconds, v.Width, v.Height, v.SizeBytes, v.Sha256,
            v.Status.ToString().ToLowerInvariant(), v.Progress, v.Attempts, v.Error);
    }
}

public sealed class VideoCatalog(EmbassyDbContext db)
{
    public async Task<IReadOnlyList<VideoInfo>> ListAsync(bool readyOnly, CancellationToken cancellationToken)
    {
        var videos = db.Set<VideoRecord>().AsNoTracking();
        if (readyOnly)
        {
            videos = videos.Where(v => v.Status == VideoStatus.Ready);
        }
        return (await videos.OrderBy(v => v.Path).Take(1000).ToListAsync(cancellationToken)).Select(VideoInfo.From).ToList();
    }

    public async Task<VideoInfo?> GetAsync(string id, CancellationToken cancellationToken) =>
        await db.Set<VideoRecord>().AsNoTracking().FirstOrDefaultAsync(v => v.Sha256 == id, cancellationToken) is { } v ? VideoInfo.From(v) : null;

    /// <summary>Queues a failed (or any) job again.</summary>
    public async Task<bool> RetryAsync(string id, CancellationToken cancellationToken) =>
        await db.Set<VideoRecord>().Where(v => v.Sha256 == id)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VideoStatus.Pending).SetProperty(v => v.Error, (string?)null), cancellationToken) > 0;
}
