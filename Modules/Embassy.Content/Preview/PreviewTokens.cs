using System.Security.Cryptography;
using System.Text;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Preview;

/// <summary>A preview token as stored: its SHA-256 only (the token itself is shown once, when it is made).</summary>
public sealed class PreviewTokenRecord
{
    public string Id { get; set; } = "";
    public string TokenHash { get; set; } = "";
    /// <summary>The one item it shows the draft of; null: every item's draft.</summary>
    public string? ContentItemId { get; set; }
    public string Name { get; set; } = "";
    public string? CreatedBy { get; set; }
    public string? CreatedById { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
}

/// <summary>
/// Preview tokens: an editor lets the real app (or anyone holding the link) see drafts — of one item or of all — for at
/// most <see cref="MaxLifetime"/>. Stored as hashes in the database, so they replicate and work on the standby too;
/// revoking one takes effect on both servers as soon as the row replicates.
/// </summary>
public sealed class PreviewTokens(EmbassyDbContext db, TimeProvider clock, CurrentActor actor, UserRights rights)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);
    public const string Prefix = "pv_";
    public const int MaxNameLength = 200;

    /// <summary>
    /// Makes a token for the current actor; the returned text is the only copy of it. Checked here, whoever calls: one
    /// item's drafts only for someone who may edit that item, every draft only for someone who may publish.
    /// </summary>
    public async Task<(PreviewTokenRecord Record, string Token)> CreateAsync(string? contentItemId, string name, TimeSpan lifetime,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"a preview token lasts at most {MaxLifetime.TotalHours:0} hours");
        }
        if (!actor.IsSystem)
        {
            var user = actor.Principal ?? throw new Services.ContentForbiddenException("nobody signed in may not make preview links");
            if (!await MayPreviewAsync(user, contentItemId, cancellationToken))
            {
                throw new Services.ContentForbiddenException($"{actor.UserName} may not make a preview link to " +
                    (contentItemId is null ? "every draft (publishers only)" : "this item (only to items they may edit)"));
            }
        }
        var (userName, userId) = (actor.UserName, actor.Id);
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var record = new PreviewTokenRecord
        {
            Id = IdGenerator.NewId(), TokenHash = Hash(token), ContentItemId = contentItemId,
            Name = name.Trim().Length == 0 ? (contentItemId is null ? "all drafts" : "one item") : name.Trim()[..Math.Min(name.Trim().Length, MaxNameLength)],
            CreatedBy = userName, CreatedById = userId, CreatedUtc = now, ExpiresUtc = now + lifetime,
        };
        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (record, token);
    }

    /// <summary>
    /// The live token this text is: not expired, not revoked, and its maker still may make it — their account exists, is
    /// not locked, and holds the rights now (publishing for every draft, editing for one item) — so a link dies with the
    /// account or the role that made it, on both servers (accounts and roles replicate). Null for anything else, malformed
    /// included.
    /// </summary>
    public async Task<PreviewTokenRecord?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is null || token.Length is < 10 or > 100 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var hash = Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var record = await db.Set<PreviewTokenRecord>().AsNoTracking()
            .FirstOrDefaultAsync(t => t.TokenHash == hash && t.RevokedUtc == null && t.ExpiresUtc > now, cancellationToken);
        if (record is null || record.CreatedById is null or CurrentActor.SystemId)
        {
            return record; // made by the system (a command, a recipe): no account to outlive
        }
        return await rights.PrincipalAsync(record.CreatedById) is { } maker && await MayPreviewAsync(maker, record.ContentItemId, cancellationToken)
            ? record : null;
    }

    /// <summary>Whether this user may see drafts through a link: every draft only a publisher, one item's only someone who may edit it.</summary>
    private async Task<bool> MayPreviewAsync(System.Security.Claims.ClaimsPrincipal user, string? contentItemId, CancellationToken cancellationToken) =>
        contentItemId is null
            ? Permissions.Holds(user, Permissions.PublishContent)
            : await db.Set<Data.ContentItemRecord>().AsNoTracking().Where(i => i.ContentItemId == contentItemId && i.Latest)
                .Select(i => new { i.ContentType, i.Owner }).FirstOrDefaultAsync(cancellationToken) is { } item
              && Permissions.CanEdit(user, item.ContentType, item.Owner);

    /// <summary>Tokens not yet expired (revoked ones included, to show it), newest first; only one user's when named.</summary>
    public async Task<IReadOnlyList<PreviewTokenRecord>> ListAsync(string? createdById, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var tokens = db.Set<PreviewTokenRecord>().AsNoTracking().Where(t => t.ExpiresUtc > now);
        if (createdById is not null)
        {
            tokens = tokens.Where(t => t.CreatedById == createdById);
        }
        return await tokens.OrderByDescending(t => t.CreatedUtc).Take(200).ToListAsync(cancellationToken);
    }

    public Task<PreviewTokenRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.Set<PreviewTokenRecord>().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);

    /// <summary>Ends a token now; false when there is no such token.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Set<PreviewTokenRecord>().Where(t => t.Id == id && t.RevokedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, now), cancellationToken) > 0;
    }

    /// <summary>Removes tokens that expired over a day ago (called when tokens are made).</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(1);
        return db.Set<PreviewTokenRecord>().Where(t => t.ExpiresUtc < before).ExecuteDeleteAsync(cancellationToken);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
