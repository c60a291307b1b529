using Embassy.Core;
using Embassy.Media.Data;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Media.Services;

/// <summary>Deletes a media file: its row and the handlers' rows (video jobs, packages) in one transaction, then the file
/// goes to the trash (<see cref="MediaTrash"/>).</summary>
public sealed class MediaDeletion(EmbassyDbContext db, MediaStore store, MediaIndexCache index, IEnumerable<IMediaStoredHandler> handlers, AuditLog audit,
    MediaTrash trash, IMediaVersion version)
{
    /// <summary>False when there is no such file.</summary>
    public async Task<bool> DeleteAsync(string normalizedPath, CancellationToken cancellationToken, string? deletedBy = null)
    {
        MediaFileRecord? record;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            record = await db.Set<MediaFileRecord>().AsNoTracking().FirstOrDefaultAsync(m => m.Path == normalizedPath, cancellationToken);
            if (record is null || await db.Set<MediaFileRecord>().Where(m => m.Path == normalizedPath).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                return false;
            }
            foreach (var handler in handlers)
            {
                await handler.DeletedAsync(normalizedPath, cancellationToken);
            }
            await version.BumpAsync(cancellationToken);
            await audit.WriteAsync("media.delete", normalizedPath, null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        trash.Keep(store.FullPath(normalizedPath), record, deletedBy);
        index.Forget(normalizedPath);
        return true;
    }
}
