namespace Embassy.Core;

/// <summary>Whether this server may take writes now, as its cluster monitor last saw it (docs/adr/0012-one-writer.md).</summary>
public enum WriterState
{
    /// <summary>Writable, and every commit is acknowledged by the standby before it returns (or an embedded database).</summary>
    Writing,

    /// <summary>Writable without the standby's acknowledgement, switched on by an operator (<c>embassy-ctl solo</c>, or a
    /// promote): what is published now is on this server only until a standby is back.</summary>
    Solo,

    /// <summary>Writable, but nothing is being acknowledged (the standby or the link is away): a commit would wait, so
    /// writes are refused at once; the database steps down to read-only after the lease.</summary>
    Paused,

    /// <summary>The database is read-only: stepped down, fenced, or not yet claimed after a restart.</summary>
    ReadOnly,
}

/// <summary>
/// The writer state of this server, shared by the cluster monitor (which sets it), the write guard, the CMI's banner,
/// /health and /metrics. A server that has no monitor (the embedded database) is always <see cref="WriterState.Writing"/>.
/// </summary>
public sealed class WriterStatus
{
    private volatile Snapshot _current = new(WriterState.Writing, null, null, null);

    public sealed record Snapshot(WriterState State, string? Reason, string? Action, long? Epoch)
    {
        /// <summary>The database did not answer the last reading: requests go on and meet the database's own error
        /// (503 "does not answer at the moment"), rather than a guess.</summary>
        public bool DatabaseAway { get; init; }

        /// <summary>The reason and, where there is one, what to do: as /health/ready lists it.</summary>
        public string Explanation => $"{Reason}{(Action is { } action ? ": " + action : "")}";

        /// <summary>Writes may be taken (acknowledged, or solo by an operator's choice).</summary>
        public bool AcceptsWrites => State is WriterState.Writing or WriterState.Solo;
    }

    public Snapshot Current => _current;

    public void Set(Snapshot snapshot) => _current = snapshot ?? throw new ArgumentNullException(nameof(snapshot));
}
