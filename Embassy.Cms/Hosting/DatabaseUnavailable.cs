using Microsoft.AspNetCore.Diagnostics;
using MySqlConnector;

namespace Embassy.Cms.Hosting;

/// <summary>
/// A database that is away for a moment (restarting, a failover under way, read-only while fenced) is not a bug: the
/// request gets 503 with Retry-After and a message that says so, not a 500. Anything else stays a 500 (logged).
/// </summary>
public sealed partial class DatabaseUnavailable(IProblemDetailsService problems, ILogger<DatabaseUnavailable> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var reason = Reason(exception);
        if (reason is null || httpContext.Response.HasStarted)
        {
            return false;
        }
        LogUnavailable(logger, httpContext.Request.Path, reason);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = Embassy.Core.ProblemTitles.Unavailable,
                Detail = $"{reason}: nothing was changed; retry in a few seconds.",
            },
        });
    }

    private static string? Reason(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case MySqlException { ErrorCode: MySqlErrorCode.OptionPreventsStatement }:
                    return "The database is read-only at the moment (a role change under way)";
                case MySqlException { IsTransient: true }:
                case MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost }:
                case MySqlEndOfStreamException: // a pooled connection to a server that went away
                case System.Net.Sockets.SocketException:
                    return "The database does not answer at the moment";
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED
                    return "The database is busy at the moment";
            }
        }
        return null;
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "{Path}: answered 503, {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string path, string reason);
}
