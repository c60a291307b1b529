using System.Data;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;

namespace Embassy.Cluster;

public sealed record ReplicationState(bool? ReadOnly, bool? IoRunning, bool? SqlRunning, long? SecondsBehind, string? IoState, string? LastError)
{
    /// <summary>On the primary: whether commits wait for the replica (semi-synchronous replication is on and answering);
    /// null where the server does not have it enabled.</summary>
    public bool? SemiSync { get; init; }
}

/// <summary>Reads read_only and SHOW SLAVE STATUS through the application's own connection (the standby's user needs SLAVE MONITOR).</summary>
public static class ReplicationStatus
{
    public static async Task<ReplicationState?> ReadAsync(EmbassyDbContext db, bool replica, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Provider != DatabaseProvider.MySql)
        {
            return null;
        }
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }
        try
        {
            bool? readOnly;
            await using (var command = connection.CreateCommand())
            {
                // Asked on its own: mixed into another SELECT it was seen to read 0 on a read-only replica.
                command.CommandText = "SELECT @@global.read_only";
                readOnly = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0;
            }
            if (!replica)
            {
                bool? semiSync = null;
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = "SELECT @@global.rpl_semi_sync_master_enabled, " +
                        "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_status')";
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    if (await reader.ReadAsync(cancellationToken) && Convert.ToInt64(reader[0], System.Globalization.CultureInfo.InvariantCulture) != 0)
                    {
                        semiSync = reader[1] is string status && status.Equals("ON", StringComparison.OrdinalIgnoreCase);
                    }
                }
                return new ReplicationState(readOnly, null, null, null, null, null) { SemiSync = semiSync };
            }
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SHOW SLAVE STATUS";
                try
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        return new ReplicationState(readOnly, false, false, null, "not a replica", "SHOW SLAVE STATUS is empty: replication is not configured");
                    }
                    string? Text(string column) => reader[column] is string s && s.Length > 0 ? s : null;
                    var lastError = Text("Last_IO_Error") ?? Text("Last_SQL_Error");
                    return new ReplicationState(readOnly, Text("Slave_IO_Running") == "Yes", Text("Slave_SQL_Running") == "Yes",
                        reader["Seconds_Behind_Master"] is DBNull ? null : Convert.ToInt64(reader["Seconds_Behind_Master"], System.Globalization.CultureInfo.InvariantCulture),
                        Text("Slave_IO_State"), lastError);
                }
                catch (MySqlException ex) when (ex.Number is 1227 or 1045 or 1142) // ER_SPECIFIC_ACCESS_DENIED_ERROR, ER_ACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR
                {
                    return new ReplicationState(readOnly, null, null, null, null, "the standby's database user may not read replication status (grant it SLAVE MONITOR)");
                }
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }
}
