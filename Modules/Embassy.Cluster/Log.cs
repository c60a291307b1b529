using Microsoft.Extensions.Logging;

namespace Embassy.Cluster;

internal static partial class Log
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Media synced from the master: {Path} ({Size} bytes)")]
    public static partial void Synced(ILogger logger, string path, long size);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Media sync failed, retrying with backoff: {Reason}")]
    public static partial void SyncFailed(ILogger logger, string reason);
}
