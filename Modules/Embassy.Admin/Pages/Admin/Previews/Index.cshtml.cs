using Embassy.Admin.Localization;
using Embassy.Admin.Security;
using Embassy.Content.Preview;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.MobileApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Embassy.Admin.Pages.Admin.Previews;

/// <summary>
/// Preview links: the app (or a browser) sees drafts with one — of one item (made from its editor by whoever may edit
/// it) or of every item (made here, by those who may publish) — for at most 24 hours, until revoked. A link and its QR
/// code are shown once, when made; the list shows who made which, and revokes.
/// </summary>
[Authorize(Policy = Permissions.EditOwnContent)]
public sealed class PreviewsModel(PreviewTokens tokens, ContentManager content, AuditLog audit, IOptions<MobileApiOptions> api) : PageModel
{
    public static readonly int[] Lifetimes = [1, 8, 24];

    public IReadOnlyList<PreviewTokenRecord> Tokens { get; private set; } = [];

    public bool CanPreviewAll => Permissions.Holds(User, Permissions.PublishContent);

    [TempData]
    public string? Message { get; set; }

    /// <summary>The link just made (shown once).</summary>
    [TempData]
    public string? NewLink { get; set; }

    public string? NewLinkQrCode => NewLink is null ? null : TwoFactor.QrCodeDataUri(NewLink);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        // Publishers see every link; others see their own.
        Tokens = await tokens.ListAsync(CanPreviewAll ? null : Permissions.UserId(User), cancellationToken);

    /// <summary>A link to the drafts of one item (<paramref name="id"/>) or, for publishers, of all.</summary>
    public async Task<IActionResult> OnPostCreateAsync(string? id, int hours, string? name, CancellationToken cancellationToken)
    {
        if (!Lifetimes.Contains(hours))
        {
            Message = this.Say("A preview link lasts 1, 8 or 24 hours.");
            return RedirectToPage();
        }
        if (string.IsNullOrEmpty(id))
        {
            if (!CanPreviewAll)
            {
                return Forbid();
            }
        }
        else if (await content.GetLatestAsync(id, cancellationToken) is not { } item || !Permissions.CanEdit(User, item.ContentType, item.Owner))
        {
            return NotFound();
        }
        await tokens.PruneAsync(cancellationToken);
        var (record, token) = await tokens.CreateAsync(string.IsNullOrEmpty(id) ? null : id, name ?? "", TimeSpan.FromHours(hours), cancellationToken);
        await audit.WriteAsync("preview.create", record.ContentItemId ?? "*", $"{record.Name}, until {record.ExpiresUtc:yyyy-MM-dd HH:mm} UTC", cancellationToken);
        NewLink = LinkFor(record.ContentItemId, token);
        Message = this.Say("Preview link made: it shows drafts until {0} ({1}). It is shown only now.",
            SiteTime.Of(HttpContext).Show(record.ExpiresUtc), SiteTime.Of(HttpContext).Name);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string id, CancellationToken cancellationToken)
    {
        if (await tokens.GetAsync(id, cancellationToken) is not { } record || (!CanPreviewAll && record.CreatedById != Permissions.UserId(User)))
        {
            return NotFound();
        }
        await tokens.RevokeAsync(id, cancellationToken);
        await audit.WriteAsync("preview.revoke", record.ContentItemId ?? "*", record.Name, cancellationToken);
        Message = this.Say("Preview link revoked: it shows nothing any more.");
        return RedirectToPage();
    }

    private string LinkFor(string? id, string token)
    {
        var origin = api.Value.PublicBaseUrl?.ToString().TrimEnd('/') ?? $"{Request.Scheme}://{Request.Host}";
        return api.Value.PreviewLinkTemplate.Replace("{base}", origin, StringComparison.Ordinal)
            .Replace("{id}", Uri.EscapeDataString(id ?? ""), StringComparison.Ordinal)
            .Replace("{token}", Uri.EscapeDataString(token), StringComparison.Ordinal);
    }
}
