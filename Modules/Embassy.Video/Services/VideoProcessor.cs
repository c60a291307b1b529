using System.Globalization;
using System.Threading.Channels;
using Embassy.Core;
using Embassy.Media;
using Embassy.Media.Data;
using Embassy.Media.Services;
using Embassy.Video.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Video.Services;

/// <summary>
/// Packages uploaded videos for HLS (fMP4 segments, stream copy when the video is H.264/AAC,
/// transcoding otherwise), extracts a poster and reads duration, size and codecs. Runs on the master;
/// jobs live in the database, so they survive restarts. A job writes only to a staging folder and its
/// own output folder: the original file is never touched, and a failed job can be retried.
/// </summary>
public sealed class VideoProcessor(
    IServiceScopeFactory scopes,
    Ffmpeg ffmpeg,
    IOptions<VideoOptions> options,
    IOptions<EmbassyOptions> embassy,
    TimeProvider clock,
    ILogger<VideoProcessor> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Starts the next job now rather than at the next poll.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (embassy.Value.Role != ServerRole.Master)
        {
            return; // The standby receives packaged videos from the master; it never writes.
        }
        await ResetInterruptedAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ProcessNextAsync(stoppingToken))
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.WorkerError(logger, ex);
            }
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            poll.CancelAfter(options.Value.PollInterval);
            try
            {
                await _wake.Reader.ReadAsync(poll.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task ResetInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        await db.Set<VideoRecord>().Where(v => v.Status == VideoStatus.Processing)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VideoStatus.Pending), cancellationToken);
    }

    /// <summary>Processes the oldest pending job; false when there is none.</summary>
    public async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        VideoRecord? job;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
            job = await db.Set<VideoRecord>().Where(v => v.Status == VideoStatus.Pending).OrderBy(v => v.CreatedUtc).FirstOrDefaultAsync(cancellationToken);
            if (job is null)
            {
                return false;
            }
            job.Status = VideoStatus.Processing;
            job.Progress = 0;
            job.Attempts++;
            job.UpdatedUtc = Now;
            await db.SaveChangesAsync(cancellationToken);
        }
        var staging = Path.Combine(embassy.Value.StagingDirectory, $"video-{Guid.NewGuid():N}");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.JobTimeout);
            await PackageAsync(job, staging, timeout.Token);
            Log.Packaged(logger, job.Path);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var message = ex is OperationCanceledException ? $"timed out after {options.Value.JobTimeout} (Embassy:Video:JobTimeout)" : ex.Message;
            Log.PackagingFailed(logger, job.Path, message);
            await UpdateAsync(job.Path, v =>
            {
                v.Status = VideoStatus.Failed;
                v.Error = message.Length > 4000 ? message[..4000] : message;
            }, CancellationToken.None);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        return true;
    }

    private async Task PackageAsync(VideoRecord job, string staging, CancellationToken cancellationToken)
    {
        string input;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<MediaStore>();
            var file = await store.FindAsync(job.Path, cancellationToken);
            if (file is null || file.Sha256 != job.Sha256)
            {
                throw new VideoProcessingException("the file was deleted or replaced before it was processed");
            }
            input = store.FullPath(job.Path);
        }
        var probe = await ffmpeg.ProbeAsync(input, cancellationToken);
        if (probe.VideoCodec is null)
        {
            throw new VideoProcessingException("the file has no video stream");
        }
        await UpdateAsync(job.Path, v =>
        {
            v.DurationSeconds = probe.DurationSeconds;
            v.Width = probe.Width;
            v.Height = probe.Height;
            v.VideoCodec = probe.VideoCodec;
            v.AudioCodec = probe.AudioCodec;
        }, cancellationToken);

        Directory.CreateDirectory(staging);
        var copy = probe.VideoCodec == "h264" && probe.AudioCodec is null or "aac";
        var codecs = copy
            ? new[] { "-c", "copy" }
            : ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k"];
        var lastReport = DateTime.MinValue;
        await ffmpeg.RunFfmpegAsync(
        [
            "-y", "-i", input, "-map", "0:v:0", "-map", "0:a:0?", .. codecs,
            "-f", "hls", "-hls_time", options.Value.SegmentSeconds.ToString(CultureInfo.InvariantCulture), "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
            "-hls_segment_filename", Path.Combine(staging, "seg_%05d.m4s"),
            "-progress", "pipe:1", Path.Combine(staging, "index.m3u8"),
        ], seconds =>
        {
            if (probe.DurationSeconds is > 0 && DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(1))
            {
                lastReport = DateTime.UtcNow;
                var progress = Math.Min(99, 100 * seconds / probe.DurationSeconds.Value);
                _ = UpdateAsync(job.Path, v => v.Progress = progress, CancellationToken.None);
            }
        }, cancellationToken);
        var at = Math.Min(3, (probe.DurationSeconds ?? 0) / 3).ToString("0.###", CultureInfo.InvariantCulture);
        await ffmpeg.RunFfmpegAsync(["-y", "-ss", at, "-i", input, "-frames:v", "1", "-vf", "scale='min(1280,iw)':-2", "-q:v", "3",
            Path.Combine(staging, "poster.jpg")], null, cancellationToken);
        await PublishOutputsAsync(job, staging, cancellationToken);
    }

    /// <summary>Indexes the package's files (so the standby's media sync fetches them) and moves them into place.</summary>
    private async Task PublishOutputsAsync(VideoRecord job, string staging, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<MediaStore>();
        var folder = $"{VideoOptions.OutputFolder}/{job.Path}";
        var staged = new List<(StagedFile File, string Path)>();
        foreach (var file in Directory.EnumerateFiles(staging).Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            staged.Add((await store.StageAsync(stream, long.MaxValue, cancellationToken), $"{folder}/{Path.GetFileName(file)}"));
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await store.ForgetFolderAsync(folder, cancellationToken);
            foreach (var (file, path) in staged)
            {
                await store.IndexAsync(path, file, cancellationToken);
            }
            var record = await db.Set<VideoRecord>().FirstAsync(v => v.Path == job.Path, cancellationToken);
            record.Status = VideoStatus.Ready;
            record.Progress = 100;
            record.Error = null;
            record.UpdatedUtc = Now;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var outputDirectory = store.FullPath(folder);
        if (Directory.Exists(outputDirectory))
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
        foreach (var (file, path) in staged)
        {
            store.Place(file, path);
        }
    }

    private async Task UpdateAsync(string path, Action<VideoRecord> change, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
            var record = await db.Set<VideoRecord>().FirstOrDefaultAsync(v => v.Path == path, cancellationToken);
            if (record is not null)
            {
                change(record);
                record.UpdatedUtc = Now;
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateException ex)
        {
            Log.WorkerError(logger, ex);
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
