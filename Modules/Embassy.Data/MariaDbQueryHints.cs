using System.Data.Common;
using Embassy.Content.Services;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Embassy.Data;

/// <summary>
/// MariaDB rewrites the list query's NOT EXISTS (the culture fallback) into NOT IN and materializes it
/// with a scan of every published item, on every query (exists_to_in). For that one query the
/// optimization is switched off with SET STATEMENT, which costs no extra round trip: a list page then
/// uses one index lookup per candidate row (measured 4 ms → 0.7 ms with 10,000 items). MySQL has no
/// such switch and needs no hint, so this runs for MariaDB only.
/// </summary>
internal sealed class MariaDbQueryHints : DbCommandInterceptor
{
    private const string Prefix = "SET STATEMENT optimizer_switch='exists_to_in=off' FOR ";
    private static readonly string Tag = "-- " + PublishedContent.ListQueryTag;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Hint(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Hint(command);
        return ValueTask.FromResult(result);
    }

    private static void Hint(DbCommand command)
    {
        if (command.CommandText.StartsWith(Tag, StringComparison.Ordinal))
        {
            command.CommandText = Prefix + command.CommandText;
        }
    }
}
