using Embassy.Core;

namespace Embassy.Cluster.Tests;

/// <summary>The writer state a master takes from what its database and the other server say (docs/adr/0012-one-writer.md).</summary>
public sealed class WriterStateTests
{
    private static WriterReading Db(bool readOnly = false, int clients = 1, int stuck = 0, long timeout = 4_294_967_295, bool on = true, long? epoch = 3) =>
        new(readOnly, SemiSyncEnabled: true, SemiSyncOn: on, clients, stuck, timeout, epoch);

    [Fact]
    public void AMasterWithItsStandbyAcknowledging_Writes() =>
        Assert.Equal(WriterState.Writing, WriterMonitor.Decide(ServerRole.Master, Db(), new PeerReading("Standby", 3, false)).State);

    [Fact]
    public void WithoutAStandbyOrWithACommitWaiting_PublishingIsPaused_AndSaysWhatToRun()
    {
        var noStandby = WriterMonitor.Decide(ServerRole.Master, Db(clients: 0), null);
        Assert.Equal(WriterState.Paused, noStandby.State);
        Assert.False(noStandby.AcceptsWrites);
        Assert.Contains("embassy-ctl solo on", noStandby.Action, StringComparison.Ordinal);
        Assert.Equal(WriterState.Paused, WriterMonitor.Decide(ServerRole.Master, Db(stuck: 1), null).State);
    }

    [Fact]
    public void AnOperatorsSolo_AcceptsWrites_AndSaysSo_UntilTheStandbyAcknowledgesAgain()
    {
        var solo = WriterMonitor.Decide(ServerRole.Master, Db(clients: 0, timeout: 2000, on: false), null);
        Assert.Equal(WriterState.Solo, solo.State);
        Assert.True(solo.AcceptsWrites);
        Assert.Equal(WriterState.Writing, WriterMonitor.Decide(ServerRole.Master, Db(timeout: 2000), null).State);
    }

    [Fact]
    public void AMasterWhoseOtherServerHoldsAHigherEpoch_TakesNoWrites_EvenOnAWritableDatabase()
    {
        var replaced = WriterMonitor.Decide(ServerRole.Master, Db(epoch: 3), new PeerReading("Master", 4, true));
        Assert.Equal(WriterState.ReadOnly, replaced.State);
        Assert.Contains("embassy-ctl rejoin", replaced.Action, StringComparison.Ordinal);
        // An equal epoch is the normal case (the standby replicates it).
        Assert.Equal(WriterState.Writing, WriterMonitor.Decide(ServerRole.Master, Db(epoch: 4), new PeerReading("Standby", 4, false)).State);
    }

    [Fact]
    public void AReadOnlyDatabase_IsReadOnly_WithWhatWillMakeItWritable()
    {
        var state = WriterMonitor.Decide(ServerRole.Master, Db(readOnly: true), null);
        Assert.Equal(WriterState.ReadOnly, state.State);
        Assert.Contains("embassy-ctl watch", state.Action, StringComparison.Ordinal);
    }
}
