using Embassy.Content.Data;
using Embassy.Content.Events;
using Embassy.Content.Models;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services.Operations;

/// <summary>
/// The unit of work every content operation runs in (one per request scope): the transaction, the events raised
/// for the handlers, the audit entries and the clock. An operation changes records, raises what it changed and
/// audits it; <see cref="SaveAsync"/> then stores the records and lets every handler see each change, in the same
/// transaction, so that the change feed, the derived tables and the audit log never disagree with the content.
/// </summary>
public sealed class ContentChanges(EmbassyDbContext db, TimeProvider clock, AuditLog audit, IEnumerable<IContentHandler> handlers)
{
    private readonly List<ContentEvent> _events = [];

    public EmbassyDbContext Db => db;

    public IQueryable<ContentItemRecord> Items => db.Set<ContentItemRecord>();

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Records a change for the handlers; publishing, unpublishing and deleting change what the app sees
    /// unless <paramref name="changesPublication"/> says otherwise.</summary>
    public void Raise(ContentEventKind kind, ContentItemRecord record, string? previousSet = null, bool? changesPublication = null) =>
        _events.Add(ContentEvent.Of(kind, record, Now, previousSet) with
        {
            ChangesPublication = changesPublication ?? kind is ContentEventKind.Published or ContentEventKind.Unpublished or ContentEventKind.Deleted,
        });

    /// <summary>Stages an audit entry; it is written with the change.</summary>
    public void Audit(string action, ContentItemRecord record) =>
        audit.Stage(action, record.ContentItemId, $"{record.ContentType} \"{record.DisplayText}\"{(record.Culture is null ? "" : $" ({record.Culture})")}");

    /// <summary>Saves, then lets every handler see each change, in the caller's transaction (see IContentHandler).</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        while (_events.Count > 0)
        {
            var changes = _events.ToList();
            _events.Clear();
            foreach (var change in changes)
            {
                foreach (var handler in handlers)
                {
                    await handler.HandleAsync(change, cancellationToken);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Runs an operation in one transaction, or in the caller's when there is one (a recipe import). When it
    /// fails nothing is kept: not the records, not the events.</summary>
    public async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch
        {
            db.ChangeTracker.Clear();
            _events.Clear();
            throw;
        }
    }
}
