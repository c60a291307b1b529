using System.Data;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Cluster;

/// <summary>What this server's database says about writing, read once a second (MariaDB only).</summary>
public sealed record WriterReading(bool ReadOnly, bool SemiSyncEnabled, bool SemiSyncOn, int Clients, int StuckCommits, long TimeoutMs, long? Epoch);

/// <summary>The other server as its /health/live says it.</summary>
public sealed record PeerReading(string Role, long? Epoch, bool? Writable);

/// <summary>
/// Once a second, on a server on MariaDB: whether its database is writable, whether commits are being acknowledged by the
/// standby (semi-synchronous replication, no silent fallback: deploy/mariadb/60-embassy.cnf), its epoch, and the other
/// server's role and epoch; from these, the <see cref="WriterStatus"/> the write guard, the CMI banner, /health and /metrics
/// show. It never changes the database (the application's account may not): stepping down to read-only and taking the
/// role back are embassy-ctl watch's, which runs as root beside it (docs/adr/0012-one-writer.md).
/// </summary>
public sealed partial class WriterMonitor(IServiceScopeFactory scopes, WriterStatus status, IOptions<EmbassyOptions> embassy,
    IOptions<ClusterOptions> cluster, IHttpClientFactory clients, ILogger<WriterMonitor> logger) : BackgroundService
{
    /// <summary>A solo timeout (ms) below this means an operator allowed commits without the standby (embassy-ctl solo).</summary>
    public const long SoloTimeoutBelowMs = 3_600_000;

    public const string PeerClient = "cluster-peer";

    public WriterReading? Last { get; private set; }

    public PeerReading? Peer { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var previous = (WriterState?)null;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
                if (db.Provider != DatabaseProvider.MySql)
                {
                    return; // the embedded database: one server, always writing
                }
                Last = await ReadAsync(db, stoppingToken);
                Peer = await ReadPeerAsync(stoppingToken);
                var next = Decide(embassy.Value.Role, Last, Peer);
                status.Set(next);
                if (next.State != previous)
                {
                    LogState(logger, next.State, next.Reason ?? "", next.Action ?? "");
                    previous = next.State;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database does not answer: nothing can be written now (a request would fail on its own, with 503).
                status.Set(new WriterStatus.Snapshot(WriterState.ReadOnly, "the database does not answer", null, status.Current.Epoch) { DatabaseAway = true });
                if (previous != WriterState.ReadOnly)
                {
                    LogState(logger, WriterState.ReadOnly, ex.Message, "");
                    previous = WriterState.ReadOnly;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The writer state of a server from what its database and the other server say.</summary>
    public static WriterStatus.Snapshot Decide(ServerRole role, WriterReading db, PeerReading? peer)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (role == ServerRole.Standby)
        {
            return new(WriterState.ReadOnly, "this server is the standby", null, db.Epoch);
        }
        var replaced = peer is { Epoch: { } theirs } && db.Epoch is { } mine && theirs > mine;
        if (replaced)
        {
            return new(WriterState.ReadOnly, $"the other server is the master now (its epoch {peer!.Epoch} is higher than this server's {db.Epoch})",
                "run 'embassy-ctl rejoin' on this server to make it the standby (deploy/RUNBOOK.md)", db.Epoch);
        }
        if (db.ReadOnly)
        {
            return new(WriterState.ReadOnly, "this server's database is read-only (after a restart, or stepped down when nothing was acknowledged)",
                "embassy-ctl watch makes it writable again once the standby acknowledges; if the standby is gone for good, " +
                "run 'embassy-ctl solo on' on this server (deploy/RUNBOOK.md)", db.Epoch);
        }
        if (!db.SemiSyncEnabled)
        {
            return new(WriterState.Writing, null, null, db.Epoch); // asynchronous by configuration (not the production file)
        }
        if (db.TimeoutMs < SoloTimeoutBelowMs)
        {
            return db.SemiSyncOn && db.Clients > 0
                ? new(WriterState.Writing, null, null, db.Epoch) // solo allowed, but the standby acknowledges again
                : new(WriterState.Solo, "publishing without the standby's acknowledgement (embassy-ctl solo): what is published now is on this server only until the standby is back",
                    "bring the standby back; solo ends by itself once it has caught up", db.Epoch);
        }
        if (db.Clients == 0 || db.StuckCommits > 0)
        {
            var why = db.Clients == 0 ? "the standby is not connected" : $"{db.StuckCommits} commit(s) have waited over 2 s for the standby";
            return new(WriterState.Paused, $"publishing is paused: {why}, and nothing is acknowledged before the standby has it",
                "it resumes by itself when the standby is back; if the standby is gone for good, run 'embassy-ctl solo on' on this server", db.Epoch);
        }
        return new(WriterState.Writing, null, null, db.Epoch);
    }

    private static async Task<WriterReading> ReadAsync(EmbassyDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }
        async Task<object?> Scalar(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 3;
            return await command.ExecuteScalarAsync(cancellationToken);
        }
        static long Number(object? value) => value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        var readOnly = Number(await Scalar("SELECT @@global.read_only")) != 0; // on its own (ReplicationStatus)
        var enabled = Number(await Scalar("SELECT @@global.rpl_semi_sync_master_enabled")) != 0;
        var timeout = Number(await Scalar("SELECT @@global.rpl_semi_sync_master_timeout"));
        var on = await Scalar("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_status'") is string s
            && s.Equals("ON", StringComparison.OrdinalIgnoreCase);
        var clientCount = (int)Number(await Scalar("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_clients'"));
        // The application's own connections only (it has no PROCESS privilege): a commit of ours waiting for the standby.
        var stuck = (int)Number(await Scalar(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for semi-sync ACK%' AND TIME >= 2"));
        long? epoch = null;
        try
        {
            epoch = Number(await Scalar("SELECT COALESCE((SELECT value FROM embassy_cluster.epoch WHERE id = 1), 0)"));
        }
        catch (System.Data.Common.DbException)
        {
            // no embassy_cluster database or no SELECT on it (a test database): no epoch to compare
        }
        return new WriterReading(readOnly, enabled, on, clientCount, stuck, timeout, epoch);
    }

    private async Task<PeerReading?> ReadPeerAsync(CancellationToken cancellationToken)
    {
        if (cluster.Value.PeerUrl is not { } peer)
        {
            return null;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var live = await clients.CreateClient(PeerClient).GetFromJsonAsync<Live>(new Uri(peer, "/health/live"), timeout.Token);
            return live is null ? null : new PeerReading(live.Role ?? "none", live.Epoch, live.Writable);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null; // away or cut off: only the database's acknowledgements say whether writing is safe
        }
    }

    private sealed record Live([property: JsonPropertyName("role")] string? Role, [property: JsonPropertyName("epoch")] long? Epoch,
        [property: JsonPropertyName("writable")] bool? Writable);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Writer state: {State}. {Reason} {Action}")]
    private static partial void LogState(ILogger logger, WriterState state, string reason, string action);
}
