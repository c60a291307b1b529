using Embassy.Core;
using Embassy.Media.Data;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Media.Services;

/// <summary>Deletes a media file: its row and the handlers' rows (video jobs, packages) in one transaction, then the file.</summary>
public sealed class MediaDeletion(EmbassyDbContext db, MediaStore store, MediaIndexCache index, IEnumerable<IMediaStoredHandler> handlers, AuditLog audit)
{
    /// <summary>False when there is no such file.</summary>
    public async Task<bool> DeleteAsync(string normalizedPath, CancellationToken cancellationToken)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (await db.Set<MediaFileRecord>().Where(m => m.Path == normalizedPath).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                return false;
            }
            foreach (var handler in handlers)
            {
                await handler.DeletedAsync(normalizedPath, cancellationToken);
            }
            await audit.WriteAsync("media.delete", normalizedPath, null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        File.Delete(store.FullPath(normalizedPath));
        index.Forget(normalizedPath);
        return true;
    }
}
