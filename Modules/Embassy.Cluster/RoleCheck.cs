using Microsoft.EntityFrameworkCore;
using Embassy.Core;
using Microsoft.Extensions.Options;

namespace Embassy.Cluster;

/// <summary>
/// Before serving: a master must write to a writable database, a standby must read a read-only one
/// (a standby on a writable server would split the data). A mismatch stops the server with a message
/// that names the setting to fix.
/// </summary>
public static class RoleCheck
{
    /// <summary>Checks the role against the database; false for a master whose database is still read-only (it then serves
    /// reads and takes no writes until embassy-ctl watch makes it writable: docs/adr/0012-one-writer.md).</summary>
    public static async Task<bool> VerifyAsync(EmbassyDbContext db, IOptions<EmbassyOptions> embassy, IOptions<ClusterOptions> cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embassy);
        ArgumentNullException.ThrowIfNull(cluster);
        var role = embassy.Value.Role;
        if (role == ServerRole.Standby)
        {
            if (cluster.Value.MasterUrl is null)
            {
                throw new InvalidOperationException("Embassy:Role is Standby but Embassy:Cluster:MasterUrl is not set: the standby needs the master's URL to sync media.");
            }
            if (cluster.Value.SyncSecret is not { Length: >= 32 })
            {
                throw new InvalidOperationException("Embassy:Cluster:SyncSecret must be set (at least 32 characters, the same on both servers) on a standby.");
            }
        }
        var state = await ReplicationStatus.ReadAsync(db, replica: false, cancellationToken);
        if (state?.ReadOnly is not { } readOnly)
        {
            return true; // SQLite: one embedded database, no roles to check.
        }
        if (role == ServerRole.Standby && !readOnly)
        {
            throw new InvalidOperationException(
                "Embassy:Role is Standby but ConnectionStrings:Default points at a writable server (read_only=0): point it at the replica, " +
                "with the SELECT-only user, or set Embassy:Role=Master.");
        }
        if (role == ServerRole.Master && readOnly && await ReplicatesAsync(db, cancellationToken))
        {
            throw new InvalidOperationException(
                "Embassy:Role is Master but ConnectionStrings:Default points at a read-only server (read_only=1) that replicates from another: " +
                "point it at the primary, or promote this database first (embassy-ctl promote, deploy/RUNBOOK.md).");
        }
        // A master's database is read-only after a restart until embassy-ctl has asked the other server (claim, watch):
        // usually seconds. Wait a little for it; after that the caller decides whether it can serve read-only.
        for (var waited = 0; role == ServerRole.Master && readOnly && waited < 20; waited++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            readOnly = (await ReplicationStatus.ReadAsync(db, replica: false, cancellationToken))?.ReadOnly ?? false;
        }
        return !readOnly;
    }

    /// <summary>Whether the database is a replica now (its replication applier runs): no privilege needed to ask.</summary>
    private static async Task<bool> ReplicatesAsync(EmbassyDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVES_RUNNING'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
