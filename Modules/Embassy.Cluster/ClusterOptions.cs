using System.ComponentModel.DataAnnotations;

namespace Embassy.Cluster;

public sealed class ClusterOptions
{
    public const string Section = "Embassy:Cluster";

    /// <summary>The master's base URL as the standby reaches it (media sync, and redirects for files not yet synced).</summary>
    public Uri? MasterUrl { get; set; }

    /// <summary>The other server's base URL, on the master: its /health/live says whether it was promoted (a higher epoch),
    /// so that this server refuses writes at once and says what to run (docs/adr/0012-one-writer.md). On the standby,
    /// <see cref="MasterUrl"/> is the other server.</summary>
    public Uri? PeerUrl { get; set; }

    /// <summary>Shared secret of the internal media endpoint (at least 32 characters); both servers must have the same.</summary>
    public string? SyncSecret { get; set; }

    /// <summary>A CA certificate (PEM) to trust for the master's HTTPS certificate, when an internal CA issued it; without it
    /// the system's trusted roots decide. Either way the certificate and its host name are checked.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>How long after the standby last reached the master it stops redirecting players there (then 503).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MasterLostAfter { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the standby hashes every media copy again (a copy changed on disk is caught at the next sync pass;
    /// this catches silent corruption too). Reading the whole library each time: a day suits a large one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Replication lag past which /health/ready reports unhealthy.</summary>
    [Range(0, 86_400)]
    public int MaxReplicationLagSeconds { get; set; } = 30;

    /// <summary>Files waiting to be synced past which /health/ready reports unhealthy.</summary>
    [Range(0, 1_000_000)]
    public int MaxSyncBacklog { get; set; } = 1000;
}
