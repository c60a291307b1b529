using Embassy.Media.Data;

namespace Embassy.Media;

/// <summary>Told, inside the upload's transaction, that a file was stored or deleted (the video module queues processing).</summary>
public interface IMediaStoredHandler
{
    Task StoredAsync(MediaFileRecord file, CancellationToken cancellationToken);

    Task DeletedAsync(string path, CancellationToken cancellationToken);
}
