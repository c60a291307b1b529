using Microsoft.Extensions.Logging;

namespace Embassy.Cluster;

internal static partial class Log
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Media synced from the master: {Path} ({Size} bytes)")]
    public static partial void Synced(ILogger logger, string path, long size);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Media sync failed, retrying with backoff (logged again only when the reason changes): {Reason}")]
    public static partial void SyncFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Media sync failure")]
    public static partial void SyncFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Media copy {Path} does not match its SHA-256 (corrupted on disk): fetching it again from the master")]
    public static partial void Corrupted(ILogger logger, string path);
}
