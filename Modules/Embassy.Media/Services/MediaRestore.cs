using Embassy.Core;
using Embassy.Media.Data;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Media.Services;

/// <summary>Why a restore did not happen.</summary>
public enum RestoreRefusal
{
    None,
    /// <summary>No such entry (expired, already restored, or a made-up id).</summary>
    NotFound,
    /// <summary>Another file was stored at the same path since.</summary>
    PathTaken,
    /// <summary>The file no longer passes the intake's checks (a limit changed since).</summary>
    Refused,
}

/// <summary>Brings a deleted file back from the trash through the same intake as an upload (checks, index, video
/// packaging, audit), to the path it had, unless another file has taken that path since.</summary>
public sealed class MediaRestore(EmbassyDbContext db, MediaIntake intake, MediaStore store, MediaIndexCache index, MediaTrash trash, AuditLog audit)
{
    public async Task<(RestoreRefusal Refusal, string? Detail, TrashedMedia? Entry)> RestoreAsync(string? id, CancellationToken cancellationToken)
    {
        if (trash.Find(id) is not { } entry)
        {
            return (RestoreRefusal.NotFound, null, null);
        }
        if (await db.Set<MediaFileRecord>().AsNoTracking().AnyAsync(m => m.Path == entry.Path, cancellationToken))
        {
            return (RestoreRefusal.PathTaken, null, entry);
        }
        StagedFile? staged;
        MediaRefusal? refusal;
        await using (var source = trash.Open(entry))
        {
            (staged, refusal) = await intake.StageAsync(entry.Path, source, cancellationToken);
        }
        if (staged is null)
        {
            return (RestoreRefusal.Refused, refusal?.Detail, entry);
        }
        var placed = false;
        try
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await intake.IndexAsync(entry.Path, staged, cancellationToken);
                await audit.WriteAsync("media.restore", entry.Path, $"deleted {entry.DeletedUtc:yyyy-MM-dd HH:mm} UTC by {entry.DeletedBy ?? "?"}", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            store.Place(staged, entry.Path);
            placed = true;
            index.Forget(entry.Path);
            trash.Remove(entry);
            return (RestoreRefusal.None, null, entry);
        }
        finally
        {
            if (!placed)
            {
                MediaStore.Discard(staged);
            }
        }
    }
}
