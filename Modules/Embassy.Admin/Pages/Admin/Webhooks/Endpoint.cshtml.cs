using Embassy.Admin.Security;
using Embassy.Admin.Localization;
using Embassy.Core;
using Embassy.Notifications;
using Embassy.Notifications.Data;
using Embassy.Notifications.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin.Webhooks;

/// <summary>One endpoint's delivery log: each event with its attempts (time, answer, response time), and "retry now".</summary>
[Authorize(Policy = Permissions.ManageSettings)]
[RequireRecentSignIn]
public sealed class EndpointModel(NotificationLog log, WebhookEndpoints endpoints, AuditLog audit) : PageModel
{
    public WebhookEndpointRecord Endpoint { get; private set; } = null!;

    public IReadOnlyList<(WebhookDeliveryRecord Delivery, IReadOnlyList<WebhookAttemptRecord> Attempts)> Deliveries { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await endpoints.GetAsync(id, cancellationToken) is not { } endpoint)
        {
            return NotFound();
        }
        Endpoint = endpoint;
        Deliveries = await log.DeliveriesAsync(id, 100, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(string id, long delivery, CancellationToken cancellationToken)
    {
        if (!await log.RetryNowAsync(id, delivery, cancellationToken))
        {
            return NotFound();
        }
        await audit.WriteAsync("webhook.retry", id, delivery.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        Message = this.Say("Sent again now (the endpoint's older events first).");
        return RedirectToPage(new { id });
    }
}
