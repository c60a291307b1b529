using System.Text.RegularExpressions;
using Embassy.Testing;

namespace Embassy.Cluster.Tests;

/// <summary>
/// The runbook cannot drift from the code: every command block in deploy/RUNBOOK.md is marked to be run
/// (<c>&lt;!-- runbook:NAME --&gt;</c>) and is run by a drill (scripts/lib/runbook.sh), every <c>embassy-ctl</c> command
/// it names exists, and every setting embassy-ctl reads from cluster.env is in its list.
/// </summary>
public sealed partial class RunbookTextTests
{
    private static readonly string Runbook = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "deploy", "RUNBOOK.md"));
    private static readonly string Ctl = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "deploy", "bin", "embassy-ctl"));

    [Fact]
    public void EveryCommandBlock_IsMarked_AndRunByADrill()
    {
        var lines = Runbook.Split('\n').Select(l => l.TrimStart()).ToArray();
        var names = new List<string>();
        var inside = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            if (!inside)
            {
                var marker = i > 0 ? Marker().Match(lines[i - 1]) : Match.Empty;
                Assert.True(marker.Success, $"RUNBOOK.md line {i + 1}: a command block without a <!-- runbook:NAME on=SERVER --> line before it");
                names.Add(marker.Groups[1].Value);
            }
            inside = !inside;
        }
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var drills = string.Join('\n', Directory.GetFiles(Path.Combine(Paths.RepositoryRoot, "bench", "drills"), "*.sh")
            .Append(Path.Combine(Paths.RepositoryRoot, "scripts", "pair")).Select(File.ReadAllText));
        foreach (var name in names.Where(n => n != "install")) // install: scripts/pair install-check
            Assert.True(Regex.IsMatch(drills, $@"runbook(_run)? ""?(\$block|{Regex.Escape(name)})\b") && (drills.Contains(name, StringComparison.Ordinal)),
                $"the runbook's block {name} is run by no drill");
        Assert.Contains("install-check", drills, StringComparison.Ordinal);
        Assert.True(names.Count >= 13, string.Join(", ", names));
    }

    [Fact]
    public void EveryEmbassyCtlCommandItNames_Exists()
    {
        var commands = CtlCommand().Matches(Ctl).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var named = Named().Matches(Runbook).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(named);
        Assert.All(named, c => Assert.True(commands.Contains(c), $"RUNBOOK.md names embassy-ctl {c}, which embassy-ctl does not have"));
    }

    [Fact]
    public void EverySettingEmbassyCtlReads_IsInTheClusterEnvList()
    {
        var firstSetup = Runbook[Runbook.IndexOf("/etc/embassy/cluster.env", StringComparison.Ordinal)..];
        foreach (var setting in new[] { "PEER_URL", "PEER_DB_HOST", "PEER_DB_PORT", "REPL_USER", "REPL_PASSWORD", "PEER_CTL", "CURL_OPTS", "ETC_DIR", "MEDIA_DIR", "LEASE_SECONDS" })
        {
            Assert.Contains(setting, Ctl, StringComparison.Ordinal);
            Assert.Contains($"`{setting}=", firstSetup, StringComparison.Ordinal);
        }
        // And no other: every ${NAME} embassy-ctl reads from its environment is one of these or its own.
        var read = Regex.Matches(Ctl, @"\$\{([A-Z_]+)[:}]").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        read.ExceptWith(["EMBASSY_CLUSTER_ENV", "EMBASSY_CTL_HOOKS", "EMBASSY_WATCH_PIDFILE", "FENCE_WAIT_SECONDS", "SOLO_TIMEOUT", "STRICT_TIMEOUT", "MASTER_DB_PASSWORD", "STANDBY_DB_PASSWORD", "BASH_REMATCH"]);
        Assert.All(read, name => Assert.Contains($"`{name}=", firstSetup, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^<!-- runbook:([a-z0-9-]+) on=[A-Za-z0-9-]+ -->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^  ([a-z-]+)\)", RegexOptions.Multiline)]
    private static partial Regex CtlCommand();

    [GeneratedRegex(@"embassy-ctl ([a-z][a-z-]+)")]
    private static partial Regex Named();
}
