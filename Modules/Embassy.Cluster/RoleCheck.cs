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
    public static async Task VerifyAsync(EmbassyDbContext db, IOptions<EmbassyOptions> embassy, IOptions<ClusterOptions> cluster, CancellationToken cancellationToken)
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
            return; // SQLite: one embedded database, no roles to check.
        }
        if (role == ServerRole.Standby && !readOnly)
        {
            throw new InvalidOperationException(
                "Embassy:Role is Standby but ConnectionStrings:Default points at a writable server (read_only=0): point it at the replica, " +
                "with the SELECT-only user, or set Embassy:Role=Master.");
        }
        if (role == ServerRole.Master && readOnly)
        {
            throw new InvalidOperationException(
                "Embassy:Role is Master but ConnectionStrings:Default points at a read-only server (read_only=1): point it at the primary, " +
                "or promote this database first (scripts/pair promote, deploy/RUNBOOK.md).");
        }
    }
}
