namespace Embassy.Core;

/// <summary>
/// The stored version of the definitions (content types and parts, media profiles, site settings), incremented by
/// every write of them in the database both servers read, so that a standby, which receives rows and no events, learns
/// of a change as the master does. The content module keeps it (in the change-feed head row).
/// </summary>
public interface IDefinitionsVersion
{
    Task BumpAsync(CancellationToken cancellationToken);
}

/// <summary>The stored version of the media index, incremented by every write of a media row (upload, replace,
/// restore, a recipe's file, deletion), in the writer's transaction. Kept beside the definitions version.</summary>
public interface IMediaVersion
{
    Task BumpAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A stored version as this server last read it (the head watcher reads both with the content head, every poll
/// interval) and <see cref="Changed"/> when it moves. A cache keys what it holds by <see cref="Version"/> — a copy read
/// under another version is not used — and drops what it holds on the event.
/// </summary>
public abstract class VersionWatch
{
    private long _version = -1;

    /// <summary>The version last read; -1 before the first read.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raised (on the reader's thread) with the new version when it differs from the last one read.</summary>
    public event Action<long>? Changed;

    /// <summary>Called with the version just read from the database.</summary>
    public void Observe(long version)
    {
        if (Interlocked.Exchange(ref _version, version) != version)
        {
            Changed?.Invoke(version);
        }
    }
}

/// <summary>The "definitions changed" event (types, parts, media profiles, settings): every cache of definitions follows
/// it, nothing re-reads definitions on a timer.</summary>
public sealed class DefinitionsWatch : VersionWatch;

/// <summary>The "media changed" event: the media index caches follow it, so a file changed on either server is seen
/// within one head poll of its row's arrival.</summary>
public sealed class MediaWatch : VersionWatch;
