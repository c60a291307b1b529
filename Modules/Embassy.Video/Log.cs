using Microsoft.Extensions.Logging;

namespace Embassy.Video;

internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Video {Path} packaged for HLS")]
    public static partial void Packaged(ILogger logger, string path);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Video {Path} could not be packaged: {Reason}")]
    public static partial void PackagingFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Video worker error")]
    public static partial void WorkerError(ILogger logger, Exception exception);
}
