using Embassy.Content.Data;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services;

/// <summary>
/// The log of publish, unpublish and delete events that mobile clients sync from. A sequence
/// number is allocated by incrementing the single head row inside the writer's transaction: the
/// row lock serializes writers, so sequence numbers become visible in order (a reader never sees
/// 7 committed before 6), on the master and, through replication, on the standby.
/// </summary>
public readonly record struct ContentHead(long Sequence, long DefinitionsVersion, long MediaVersion = -1);

/// <summary>One entry of the change feed, as other modules see it (the feed's rows stay the content module's).</summary>
public sealed record ContentChange(long Sequence, ChangeKind Kind, string ContentItemId, string ContentType, string? Culture);

public sealed class ChangeFeed(EmbassyDbContext db)
{
    /// <summary>The feed's last sequence and the definitions version, in one cheap read of one row.</summary>
    public Task<ContentHead> GetContentHeadAsync(CancellationToken cancellationToken) =>
        db.Set<ChangeFeedHead>().AsNoTracking().Where(h => h.Id == 1)
            .Select(h => new ContentHead(h.Sequence, h.DefinitionsVersion, h.MediaVersion)).SingleAsync(cancellationToken);

    public Task<long> GetHeadAsync(CancellationToken cancellationToken) =>
        db.Set<ChangeFeedHead>().AsNoTracking().Where(h => h.Id == 1).Select(h => h.Sequence).SingleAsync(cancellationToken);

    public async Task<IReadOnlyList<ChangeFeedEntry>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        await db.Set<ChangeFeedEntry>().AsNoTracking()
            .Where(e => e.Sequence > afterSequence)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(cancellationToken);

    /// <summary>Must run inside the transaction that makes the change.</summary>
    internal async Task<long> AppendAsync(ChangeKind kind, Events.ContentEvent item, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A change feed entry must be written in the transaction of its change.");
        }
        await db.Set<ChangeFeedHead>().Where(h => h.Id == 1)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Sequence, h => h.Sequence + 1), cancellationToken);
        var sequence = await db.Set<ChangeFeedHead>().Where(h => h.Id == 1).Select(h => h.Sequence).SingleAsync(cancellationToken);
        db.Add(new ChangeFeedEntry
        {
            Sequence = sequence,
            Kind = kind,
            ContentItemId = item.ContentItemId,
            ContentItemVersionId = item.ContentItemVersionId,
            ContentType = item.ContentType,
            Culture = item.Culture,
            OccurredUtc = item.OccurredUtc,
        });
        return sequence;
    }
}
