using Microsoft.Extensions.Logging;

namespace Embassy.Media;

internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Media stored: {Path} ({Size} bytes)")]
    public static partial void Uploaded(ILogger logger, string path, long size);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Media rate limit reached for {ClientIp} on {Path}")]
    public static partial void RateLimited(ILogger logger, System.Net.IPAddress? clientIp, Microsoft.AspNetCore.Http.PathString path);
}
