namespace Embassy.Testing;

/// <summary>
/// A MariaDB primary and a replica replicating from it (GTID, row-based), each in a private data directory
/// on a free loopback port, with the users the two roles use: the master's (all privileges on its database)
/// and the standby's (SELECT, plus SLAVE MONITOR to report replication health; never SUPER, which bypasses read_only).
/// </summary>
public sealed class MariaDbPair : IAsyncDisposable
{
    public const string Database = "embassy";
    private const string MasterPassword = "master-password";
    private const string StandbyPassword = "standby-password";
    private const string ReplicationPassword = "replication-password";

    private MariaDbPair(MariaDbServer primary, MariaDbServer replica)
    {
        Primary = primary;
        Replica = replica;
    }

    public MariaDbServer Primary { get; private set; }

    public MariaDbServer Replica { get; }

    public string MasterConnectionString => Primary.ConnectionString(Database, "embassy_master", MasterPassword);

    public string StandbyConnectionString => Replica.ConnectionString(Database, "embassy_standby", StandbyPassword);

    public static async Task<MariaDbPair> StartAsync(CancellationToken cancellationToken = default)
    {
        var primary = await MariaDbServer.StartAsync("primary", PrimaryConfig(), cancellationToken);
        var replica = await MariaDbServer.StartAsync("replica",
            ["server_id=2", "log_bin=binlog", "binlog_format=ROW", "log_slave_updates=ON", "gtid_strict_mode=ON", "read_only=1"], cancellationToken);
        await primary.ExecuteAsync($"CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '{ReplicationPassword}'; " +
                                   "GRANT REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR ON *.* TO 'repl'@'127.0.0.1';", cancellationToken);
        await replica.ExecuteAsync("SET GLOBAL gtid_slave_pos=''; " +
            $"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={primary.Port}, MASTER_USER='repl', MASTER_PASSWORD='{ReplicationPassword}', " +
            "MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;", cancellationToken);
        // Created on the primary after replication started, so they replicate.
        await primary.ExecuteAsync($"""
            CREATE DATABASE {Database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
            CREATE USER 'embassy_master'@'127.0.0.1' IDENTIFIED BY '{MasterPassword}';
            GRANT ALL PRIVILEGES ON {Database}.* TO 'embassy_master'@'127.0.0.1';
            CREATE USER 'embassy_standby'@'127.0.0.1' IDENTIFIED BY '{StandbyPassword}';
            GRANT SELECT ON {Database}.* TO 'embassy_standby'@'127.0.0.1';
            GRANT SLAVE MONITOR ON *.* TO 'embassy_standby'@'127.0.0.1';
            """, cancellationToken);
        var pair = new MariaDbPair(primary, replica);
        await pair.WaitForReplicaAsync(cancellationToken);
        return pair;
    }

    private static string[] PrimaryConfig() => ["server_id=1", "log_bin=binlog", "binlog_format=ROW", "gtid_strict_mode=ON"];

    /// <summary>Waits until the replica has applied everything the primary has written (MASTER_GTID_WAIT, not a sleep).</summary>
    public async Task WaitForReplicaAsync(CancellationToken cancellationToken = default)
    {
        var position = (string?)await Primary.ScalarAsync("SELECT @@gtid_binlog_pos", cancellationToken) ?? "";
        var result = await Replica.ScalarAsync($"SELECT MASTER_GTID_WAIT('{position}', 20)", cancellationToken);
        if (Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture) != 0)
        {
            throw new TimeoutException($"the replica did not reach {position} within 20 s");
        }
    }

    /// <summary>kill -9 of the primary (a drill); <see cref="RestartPrimaryAsync"/> brings it back on the same port and data.</summary>
    public void KillPrimary() => Primary.Kill();

    public async Task RestartPrimaryAsync(CancellationToken cancellationToken = default) =>
        Primary = await MariaDbServer.RestartAsync(Primary, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Replica.DisposeAsync();
        await Primary.DisposeAsync();
    }
}
