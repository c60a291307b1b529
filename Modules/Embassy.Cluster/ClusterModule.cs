using System.Security.Cryptography;
using System.Text;
using Embassy.Core;
using Embassy.Media;
using Embassy.Media.Data;
using Embassy.Media.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Embassy.Cluster;

public static class ClusterModule
{
    public static IHostApplicationBuilder AddClusterModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Not the .NET meters (Kestrel's and ASP.NET Core's own request instruments) beside the HTTP metrics that
        // UseClusterMetrics records: once /metrics was first read, every request was measured twice. Process and runtime
        // metrics stay. Only effective before the first scrape in the process (a test host after another's is unchanged).
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true });
        // The runtime's and ASP.NET Core's event counters stay, but not the events beside them: prometheus-net listens at
        // Informational level, which made Kestrel and Hosting write a start and a stop event per request, each with its
        // strings and payload objects (a quarter of what a request allocated, found with dotnet-trace's gc-verbose
        // profile, bench/images.sh). Counters are written at LogAlways and pass any level.
        Metrics.ConfigureEventCounterAdapter(o => o.EventSourceSettingsProvider = _ => new EventCounterAdapterEventSourceSettings
        {
            MinimumLevel = System.Diagnostics.Tracing.EventLevel.Critical,
        });
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(nameof(MediaSync), c => c.Timeout = TimeSpan.FromMinutes(30))
            .ConfigurePrimaryHttpMessageHandler(sp => MasterConnection.Handler(sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
        builder.Services.AddHttpClient(WriterMonitor.PeerClient, c => c.Timeout = TimeSpan.FromSeconds(3))
            .ConfigurePrimaryHttpMessageHandler(sp => MasterConnection.Handler(sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
        builder.Services.AddSingleton<WriterMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WriterMonitor>());
        builder.Services.AddSingleton<MediaSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MediaSync>());
        if (builder.Configuration.GetValue<ServerRole>($"{EmbassyOptions.Section}:Role") == ServerRole.Standby)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<IMediaAvailability>(sp => sp.GetRequiredService<MediaSync>()));
        }
        return builder;
    }

    /// <summary>Checks that the database suits the role (see <see cref="RoleCheck"/>).</summary>
    public static async Task<bool> VerifyRoleAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await RoleCheck.VerifyAsync(scope.ServiceProvider.GetRequiredService<EmbassyDbContext>(),
            scope.ServiceProvider.GetRequiredService<IOptions<EmbassyOptions>>(), scope.ServiceProvider.GetRequiredService<IOptions<ClusterOptions>>(),
            cancellationToken);
    }

    public static WebApplication UseClusterMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The server's internals (metrics) are for its operators: other addresses are told there is nothing here.
        var management = app.Services.GetRequiredService<IOptions<ManagementOptions>>();
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/metrics") && !management.Value.Allows(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        });
        // Request counts and durations per route, without exemplars: no trace store here to link them to, and each
        // costs every request a timestamp and a trace-id lookup (bench/images.sh).
        app.UseHttpMetrics(o =>
        {
            o.RequestCount.ExemplarPredicate = _ => false;
            o.RequestDuration.ExemplarPredicate = _ => false;
        });
        var admission = app.Services.GetRequiredService<StreamAdmission>();
        var sync = app.Services.GetRequiredService<MediaSync>();
        var streams = Metrics.CreateGauge("embassy_active_streams", "Media responses being sent now.");
        var backlog = Metrics.CreateGauge("embassy_media_sync_backlog", "Files the standby has yet to fetch from the master.");
        var held = app.Services.GetRequiredService<Embassy.Media.Images.HeldResponses>();
        var fromMemory = Metrics.CreateCounter("embassy_media_memory_responses_total",
            "Image derivatives answered from memory ahead of routing (not counted in http_requests_received_total).");
        var writer = app.Services.GetRequiredService<WriterStatus>();
        var writerState = Metrics.CreateGauge("embassy_writer_state",
            "1 for this server's writer state now (Writing, Solo, Paused, ReadOnly; docs/adr/0012-one-writer.md), 0 for the others.", "state");
        var epochGauge = Metrics.CreateGauge("embassy_cluster_epoch", "This server's epoch (raised by every promote; -1 when unknown).");
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            var current = writer.Current;
            foreach (var state in Enum.GetValues<WriterState>())
            {
                writerState.WithLabels(state.ToString()).Set(state == current.State ? 1 : 0);
            }
            epochGauge.Set(current.Epoch ?? -1);
            streams.Set(admission.Active);
            backlog.Set(sync.Backlog);
            fromMemory.IncTo(held.Served);
        });
        return app;
    }

    /// <summary>/health/live, /health/ready, /metrics; on the master also the standby's internal media endpoint.</summary>
    public static IEndpointRouteBuilder MapCluster(this IEndpointRouteBuilder endpoints, bool isMaster)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // The role, and (on MariaDB) the epoch and whether this server takes writes, as the monitor last read them: the other
        // server's monitor and embassy-ctl compare epochs through this (docs/adr/0012-one-writer.md). No database call here.
        // On MariaDB a master is writable once the monitor has read its epoch; the embedded database has no monitor and no
        // other server, so its master always is.
        endpoints.MapGet("/health/live", (IOptions<EmbassyOptions> options, IOptions<DatabaseOptions> database, WriterStatus writer) => TypedResults.Ok(new LiveReport(
                "Healthy", options.Value.Role.ToString(), writer.Current.Epoch, options.Value.Role == ServerRole.Master && writer.Current.AcceptsWrites
                    && (writer.Current.Epoch is not null || database.Value.Provider == DatabaseProvider.Sqlite))))
            .WithTags("Health").WithSummary("The process answers: its role, epoch and whether it takes writes.");
        endpoints.MapGet("/health/ready", ReadyAsync).WithTags("Health")
            .WithSummary("Can this server serve? Database, read_only, and on the standby replication threads, lag and media sync backlog " +
                "(details only for Embassy:Management:AllowedNetworks).");
        endpoints.MapMetrics("/metrics");
        if (isMaster)
        {
            endpoints.MapGet("/internal/media/{**path}", InternalMediaAsync).ExcludeFromDescription();
        }
        else
        {
            endpoints.MapStandbyAdminPage();
        }
        return endpoints;
    }

    /// <summary>/health/live's answer.</summary>
    public sealed record LiveReport(string Status, string Role, long? Epoch, bool Writable);

    private static readonly Gauge ReplicationLag = Metrics.CreateGauge("embassy_replication_lag_seconds", "Seconds_Behind_Master on the standby (-1 when unknown).");

    private static async Task<IResult> ReadyAsync(EmbassyDbContext db, IOptions<EmbassyOptions> embassy, IOptions<ClusterOptions> cluster, MediaSync sync,
        HttpContext http, IOptions<ManagementOptions> management, CancellationToken cancellationToken)
    {
        var standby = embassy.Value.Role == ServerRole.Standby;
        var problems = new List<string>();
        ReplicationState? replication = null;
        var database = false;
        try
        {
            database = await db.Database.CanConnectAsync(cancellationToken);
            replication = database ? await ReplicationStatus.ReadAsync(db, standby, cancellationToken) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add($"database: {ex.Message}");
        }
        if (!database)
        {
            problems.Add("the database does not answer");
        }
        // The database must suit the role now, not only at start: a master whose database was made read-only (a restart
        // of a server configured read_only, a half-done failback) cannot take a single write; a standby on a writable
        // database could split the data.
        var writer = http.RequestServices.GetRequiredService<WriterStatus>().Current;
        var warnings = new List<string>();
        if (!standby && replication?.ReadOnly == true)
        {
            // Read now, not only by the monitor a second ago.
            problems.Add("this server's database is read-only (read_only=1): it takes no writes; " +
                (writer.Action ?? "embassy-ctl watch makes it writable again once the standby acknowledges (deploy/RUNBOOK.md)"));
        }
        else if (!standby && replication is not null && writer.State is WriterState.ReadOnly or WriterState.Paused && !writer.DatabaseAway)
        {
            // Readers are served; writes are not. Not ready as a master, with what to do (the monitor's words).
            problems.Add(writer.Explanation);
        }
        else if (!standby && writer.State == WriterState.Solo)
        {
            warnings.Add(writer.Explanation);
        }
        if (replication?.ReadOnly == false && standby)
        {
            problems.Add("the database is writable (read_only=0): a standby must read a read-only replica; set read_only=1 there (deploy/RUNBOOK.md)");
        }
        if (standby && replication is not null)
        {
            ReplicationLag.Set(replication.SecondsBehind ?? -1);
            if (replication.SqlRunning == true && replication.IoRunning != true && replication.LastError is not null &&
                sync.MasterLastSeenUtc < DateTime.UtcNow - cluster.Value.MasterLostAfter)
            {
                // This server is fine and serves what it has; the master is lost (or the link to it). Its own alert, not this
                // server's: "master lost" (deploy/RUNBOOK.md, Monitoring).
                warnings.Add($"master lost: replication cannot reach the master ({replication.LastError}); this server serves what it has. " +
                    "Promote it if the master will not come back soon (embassy-ctl promote)");
            }
            else if (replication.IoRunning != true || replication.SqlRunning != true)
            {
                problems.Add($"replication is not running (IO: {replication.IoRunning}, SQL: {replication.SqlRunning}){(replication.LastError is { } e ? ": " + e : "")}");
            }
            else if (replication.SecondsBehind > cluster.Value.MaxReplicationLagSeconds)
            {
                problems.Add($"replication is {replication.SecondsBehind} s behind (Embassy:Cluster:MaxReplicationLagSeconds = {cluster.Value.MaxReplicationLagSeconds})");
            }
        }
        if (standby && sync.Backlog > cluster.Value.MaxSyncBacklog)
        {
            problems.Add($"{sync.Backlog} media files wait to be synced (Embassy:Cluster:MaxSyncBacklog = {cluster.Value.MaxSyncBacklog})");
        }
        if (!standby && replication?.SemiSync == false && writer.State == WriterState.Writing)
        {
            // Not unhealthy: the master serves and the CMI works; but what is committed now is on this server only.
            warnings.Add("replication is asynchronous now (the standby has not acknowledged within rpl_semi_sync_master_timeout): " +
                "a failover at this moment could lose the latest publications");
        }
        var reports = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var contributor in http.RequestServices.GetServices<IReadinessContributor>())
        {
            try
            {
                var report = await contributor.ReportAsync(cancellationToken);
                reports[report.Name] = report.Details;
                if (report.Warning is { } warning)
                {
                    warnings.Add(warning);
                }
                if (report.Problem is { } problem)
                {
                    problems.Add(problem);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                warnings.Add($"{contributor.GetType().Name}: {ex.Message}");
            }
        }
        var healthy = problems.Count == 0;
        if (!management.Value.Allows(http))
        {
            // Load balancers and the app need only the verdict; error texts and replication details are for operators.
            var terse = new { status = healthy ? "Healthy" : "Unhealthy", role = embassy.Value.Role.ToString() };
            return healthy ? TypedResults.Ok(terse) : TypedResults.Json(terse, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var body = new
        {
            status = healthy ? "Healthy" : "Unhealthy",
            role = embassy.Value.Role.ToString(),
            database,
            readOnly = replication?.ReadOnly,
            semiSync = replication?.SemiSync,
            writer = standby ? null : new { state = writer.State.ToString(), reason = writer.Reason, action = writer.Action },
            epoch = writer.Epoch,
            replication = standby ? replication : null,
            mediaSync = standby ? new { backlog = sync.Backlog, lastError = sync.LastError, masterLastSeenUtc = sync.MasterLastSeenUtc, repaired = sync.Repaired } : null,
            search = reports.GetValueOrDefault("search"),
            problems,
            warnings,
        };
        return problems.Count == 0 ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The master's files for the standby's media sync, behind the shared secret (compared in constant time).</summary>
    private static async Task<IResult> InternalMediaAsync(string path, HttpContext http, IOptions<ClusterOptions> cluster, MediaIndexCache index, MediaStore store,
        CancellationToken cancellationToken)
    {
        var secret = cluster.Value.SyncSecret;
        var given = http.Request.Headers[MediaSync.SecretHeader].ToString();
        if (secret is not { Length: >= 32 } ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(secret)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }
        var record = MediaPath.Normalize(path, out _) is { } normalized ? await index.FindAsync(normalized, cancellationToken) : null;
        var file = record is null ? null : store.FullPath(record.Path);
        return record is null || !File.Exists(file)
            ? TypedResults.NotFound()
            : TypedResults.PhysicalFile(file, "application/octet-stream", enableRangeProcessing: true);
    }
}
