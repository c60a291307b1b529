using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin;

/// <summary>The audit log: who did what and when, newest first, by user or by item.</summary>
[Authorize(Policy = Permissions.ManageUsers)]
public sealed class AuditModel(AuditLog audit) : PageModel
{
    public const int PageSize = 100;

    [FromQuery(Name = "user")]
    public string? UserName { get; set; }

    [FromQuery(Name = "subject")]
    public string? Subject { get; set; }

    [FromQuery(Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        (Entries, Total) = await audit.ListAsync(UserName, Subject, Math.Clamp(PageNumber, 1, AuditLog.MaxPage), PageSize, cancellationToken);

    public string Link(int page) => $"?user={Uri.EscapeDataString(UserName ?? "")}&subject={Uri.EscapeDataString(Subject ?? "")}&p={page}";
}
