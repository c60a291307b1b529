using Embassy.Testing;

namespace Embassy.Cluster.Tests;

/// <summary>
/// The operations runbook as code, rehearsed: bench/drills/failover.sh runs first setup, the loss of the master, promote,
/// a restart of everything (the old master must fence itself), rejoin, switchover and another restart on the production
/// unit, env and MariaDB files through scripts/pair and deploy/bin/embassy-ctl, with editors publishing throughout,
/// over HTTPS with certificates from a test CA (scripts/pair up --tls), as production runs.
/// </summary>
[Collection(nameof(PairScript))] // both drills use scripts/pair's one folder: never at the same time
public sealed class FailoverDrillTests
{
    private static Task<(int ExitCode, string Stdout, string Stderr)> DrillAsync(string script, int minutes = 8) =>
        TestVideos.RunAsync(new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(Paths.RepositoryRoot, "bench", "drills", script)])
        {
            WorkingDirectory = Paths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }, TimeSpan.FromMinutes(minutes));

    [Fact]
    public async Task TheFailoverDrill_PromotesFencesAndFailsBack_LosingNoAcknowledgedPublication()
    {
        var (exit, output, error) = await DrillAsync("failover.sh");
        Assert.True(exit == 0, $"{output}\n{error}\n{(File.Exists("/tmp/embassy-failover.log") ? await File.ReadAllTextAsync("/tmp/embassy-failover.log") : "")}");
        Assert.Contains("FAILOVER promoted=1 failed_back=1 survived_restarts=1 second_master=0 lost_writes=0", output, StringComparison.Ordinal);
        Assert.Contains("TLS https_only=1 standby_synced_over_https=1", output, StringComparison.Ordinal);
    }

    /// <summary>bench/drills/partition.sh (docs/adr/0012-one-writer.md): two hosts in network namespaces, editors publishing
    /// on both throughout, through six faults — the master's application killed with its database writable and the standby
    /// promoted, the link cut both ways with a promote on the far side, the link cut both ways and healed, cut one way, the
    /// master's database restarted with the other server away, the standby's database down — never two writers, no
    /// acknowledged publication lost.</summary>
    [Fact]
    public async Task ThePartitionDrill_NeverMakesTwoWriters_AndLosesNoAcknowledgedPublication()
    {
        var (exit, output, error) = await DrillAsync("partition.sh", minutes: 14);
        Assert.True(exit == 0, $"{output}\n{error}\n{(File.Exists("/tmp/embassy-partition.log") ? await File.ReadAllTextAsync("/tmp/embassy-partition.log") : "")}");
        Assert.Contains("PARTITION scenarios=6 two_writers=0 lost=0", output, StringComparison.Ordinal);
        foreach (var scenario in new[] { "app-killed-promoted", "cut-both-promoted", "cut-both-healed", "cut-one-way", "db-restart-alone", "standby-db-down" })
        {
            var line = System.Text.RegularExpressions.Regex.Match(output, $@"PARTITION scenario={scenario} writers_max=1 acknowledged=(\d+) lost=0");
            Assert.True(line.Success, $"{scenario}: {output}");
            Assert.True(int.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, $"{scenario}: nothing was published: {output}");
        }
        // The master whose database restarted alone took its role back by itself once the other server returned.
        Assert.Contains("took the role back by itself", output, StringComparison.Ordinal);
    }

    /// <summary>bench/drills/webhooks.sh: the master is killed -9 in the middle of a burst of publications and the standby
    /// promoted: every event reaches a webhook receiver on loopback, a repeat only with the same webhook-id.</summary>
    [Fact]
    public async Task TheWebhookDrill_DeliversEveryEventThroughAFailover_RepeatsOnlyWithTheSameId()
    {
        var (exit, output, error) = await DrillAsync("webhooks.sh");
        Assert.True(exit == 0, $"{output}\n{error}\n{(File.Exists("/tmp/embassy-webhooks-drill.log") ? await File.ReadAllTextAsync("/tmp/embassy-webhooks-drill.log") : "")}");
        var result = System.Text.RegularExpressions.Regex.Match(output, @"WEBHOOKS events=(\d+) received=(\d+) acknowledged=(\d+) missing=0 repeats=\d+ mismatched=0");
        Assert.True(result.Success, output);
        Assert.True(int.Parse(result.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) >= 20, output); // the burst was published
        Assert.Equal(result.Groups[1].Value, result.Groups[2].Value);
    }

    /// <summary>bench/drills/search.sh: on scripts/pair, an alert published on the master is found by the standby's search
    /// within 5 s, and a standby restarted after missing publications catches up.</summary>
    [Fact]
    public async Task TheSearchDrill_FindsOnTheStandby_AndARestartedStandbyCatchesUp()
    {
        var (exit, output, error) = await DrillAsync("search.sh");
        Assert.True(exit == 0, $"{output}\n{error}\n{(File.Exists("/tmp/embassy-search-drill.log") ? await File.ReadAllTextAsync("/tmp/embassy-search-drill.log") : "")}");
        Assert.Matches(@"SEARCH standby_found_ms=\d+ restarted_caught_up_ms=\d+ missing=0", output);
    }

    /// <summary>bench/drills/restore.sh: a backup from the standby, more content, a mistaken deletion, and a fresh server
    /// restored to just before it, with its media from the backup and the surviving server, every SHA-256 checked.</summary>
    [Fact]
    public async Task TheRestoreDrill_BringsBackEverythingUpToJustBeforeAMistake()
    {
        var (exit, output, error) = await DrillAsync("restore.sh");
        Assert.True(exit == 0, $"{output}\n{error}");
        Assert.Matches(@"RESTORE items=(\d+)/\1 media=(\d+)/\2 lost=0", output);
    }

    /// <summary>bench/drills/runbook.sh: deploy/RUNBOOK.md's own blocks run as written — install on an empty folder (every
    /// program the units start where they say), first setup, failover, a rejoin that must refuse an old master with a write
    /// the new primary never got, and the rebuild from a backup of the primary, after which it replicates with every
    /// acknowledged publication and without that write.</summary>
    [Fact]
    public async Task TheRunbookDrill_RunsTheRunbooksBlocks_AndRebuildsARefusedOldMaster()
    {
        var (exit, output, error) = await DrillAsync("runbook.sh");
        Assert.True(exit == 0, $"{output}\n{error}\n{(File.Exists("/tmp/embassy-runbook.log") ? await File.ReadAllTextAsync("/tmp/embassy-runbook.log") : "")}");
        Assert.Matches(@"RUNBOOK blocks=9 install=1 rejoin_refused=1 rebuilt=1 lost=0", output);
    }
}

[CollectionDefinition(nameof(PairScript), DisableParallelization = true)]
public sealed class PairScript;
