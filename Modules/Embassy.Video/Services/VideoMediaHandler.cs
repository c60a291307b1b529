using Embassy.Core;
using Embassy.Media;
using Embassy.Media.Data;
using Embassy.Video.Data;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Video.Services;

/// <summary>Queues a processing job when a video is stored (in the upload's transaction), forgets it when deleted.</summary>
internal sealed class VideoMediaHandler(EmbassyDbContext db, TimeProvider clock, VideoProcessor processor, Embassy.Media.Services.MediaStore store) : IMediaStoredHandler
{
    public async Task StoredAsync(MediaFileRecord file, CancellationToken cancellationToken)
    {
        if (!MediaOptions.VideoExtensions.Contains(Path.GetExtension(file.Path)) || file.Path.StartsWith(VideoOptions.OutputFolder + "/", StringComparison.Ordinal))
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var record = await db.Set<VideoRecord>().FirstOrDefaultAsync(v => v.Path == file.Path, cancellationToken);
        if (record is null)
        {
            record = new VideoRecord { Path = file.Path, CreatedUtc = now };
            db.Add(record);
        }
        record.Sha256 = file.Sha256;
        record.SizeBytes = file.Size;
        record.Status = VideoStatus.Pending;
        record.Progress = 0;
        record.Attempts = 0;
        record.Error = null;
        record.UpdatedUtc = now;
        await db.SaveChangesAsync(cancellationToken);
        processor.Wake();
    }

    public async Task DeletedAsync(string path, CancellationToken cancellationToken)
    {
        await db.Set<VideoRecord>().Where(v => v.Path == path).ExecuteDeleteAsync(cancellationToken);
        await store.ForgetFolderAsync($"{VideoOptions.OutputFolder}/{path}", cancellationToken);
    }
}
