using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Core;

/// <summary>One line of the audit log: who did what to which thing, and when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime OccurredUtc { get; set; }
    /// <summary>The signed-in user, or "system" for the scheduler, first-run setup and the command line.</summary>
    public string UserName { get; set; } = "";
    /// <summary>What was done, e.g. content.publish, media.delete, user.create, role.update, settings.update, recipe.import.</summary>
    public string Action { get; set; } = "";
    /// <summary>What it was done to: a content item id, a media path, a user or role name.</summary>
    public string? Subject { get; set; }
    /// <summary>A readable line for the log: the item's type and title, the roles given, the keys changed.</summary>
    public string? Detail { get; set; }
}

/// <summary>
/// The audit log. <see cref="Stage"/> adds an entry to the unit of work so that it commits (or rolls back)
/// with the change it describes; <see cref="WriteAsync"/> saves one on its own for changes made elsewhere
/// (Identity's stores save their own changes).
/// </summary>
public sealed class AuditLog(EmbassyDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public const string SystemUser = "system";

    /// <summary>The deepest page a listing serves (a larger number would overflow the offset: MariaDB answered 500).</summary>
    public const int MaxPage = 100_000;

    public string CurrentUser => http.HttpContext?.User.Identity?.Name ?? SystemUser;

    public void Stage(string action, string? subject, string? detail) =>
        db.Add(new AuditEntry
        {
            OccurredUtc = clock.GetUtcNow().UtcDateTime,
            UserName = Truncate(CurrentUser, 256)!,
            Action = Truncate(action, 64)!,
            Subject = Truncate(subject, 256),
            Detail = Truncate(detail, 1024),
        });

    public async Task WriteAsync(string action, string? subject, string? detail, CancellationToken cancellationToken)
    {
        Stage(action, subject, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Newest first, optionally one user's or one subject's entries, paged.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, int Total)> ListAsync(string? user, string? subject, int page, int pageSize, CancellationToken cancellationToken)
    {
        var entries = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(user))
        {
            entries = entries.Where(e => e.UserName == user.Trim());
        }
        if (!string.IsNullOrWhiteSpace(subject))
        {
            entries = entries.Where(e => e.Subject == subject.Trim());
        }
        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.Id).Skip((Math.Clamp(page, 1, MaxPage) - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (rows, total);
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
