using Microsoft.Extensions.Logging;

namespace Embassy.MobileApi;

internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "Content head is now {Sequence} (definitions {DefinitionsVersion})")]
    public static partial void HeadChanged(ILogger logger, long sequence, long definitionsVersion);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Could not read the content head; serving cached content meanwhile: {Reason}")]
    public static partial void HeadPollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Rate limit reached for {ClientIp} on {Path}")]
    public static partial void RateLimited(ILogger logger, System.Net.IPAddress? clientIp, Microsoft.AspNetCore.Http.PathString path);
}
