using Embassy.Admin.Security;
using Embassy.Admin.Localization;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Notifications;
using Embassy.Notifications.Data;
using Embassy.Notifications.Push;
using Embassy.Notifications.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin.Webhooks;

/// <summary>
/// Webhooks and push notifications (seen by settings managers, changed by Administrators only): endpoints made here get a whsec_ secret shown once; each can be
/// sent a test, given a new secret, paused or deleted. Configured endpoints are listed read-only. The push
/// notifications sent lately are listed with their errors.
/// </summary>
[Authorize(Policy = Permissions.ManageSettings)]
[RequireRecentSignIn]
public sealed class WebhooksModel(NotificationLog log, WebhookEndpoints endpoints, ContentManager content, FcmClient fcm, AuditLog audit,
    NotificationDispatcher dispatcher) : PageModel
{
    public IReadOnlyList<EndpointSummary> Endpoints { get; private set; } = [];

    public IReadOnlyList<PushMessageRecord> Pushes { get; private set; } = [];

    public IReadOnlyList<string> ContentTypes { get; private set; } = [];

    public bool PushConfigured => fcm.Configured;

    public IReadOnlyList<string> Errors { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    /// <summary>A secret just made (shown once).</summary>
    [TempData]
    public string? NewSecret { get; set; }

    /// <summary>Settings managers see the endpoints and the push log; only an Administrator changes an endpoint, sends it a
    /// test or sees a secret (the core checks it too: WebhookEndpoints).</summary>
    public bool CanChange => Permissions.IsAdministrator(User);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!HttpMethods.IsGet(Request.Method) && !CanChange)
        {
            context.Result = Forbid();
            return;
        }
        await next();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Endpoints = await log.EndpointsAsync(cancellationToken);
        Pushes = await log.PushesAsync(50, cancellationToken);
        ContentTypes = (await content.LoadDefinitionsAsync(cancellationToken)).Types.Keys.Order(StringComparer.Ordinal).ToList();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? url, string? description, string[]? events, string[]? types, CancellationToken cancellationToken)
    {
        var request = new EndpointRequest((url ?? "").Trim(), events ?? [], types is { Length: > 0 } ? types : null, description ?? "");
        try
        {
            var (endpoint, secret) = await endpoints.CreateAsync(request, WebhookSources.Cmi, null, cancellationToken);
            await audit.WriteAsync("webhook.create", endpoint.Id, endpoint.Url, cancellationToken);
            dispatcher.Wake();
            NewSecret = secret;
            Message = this.Say("Endpoint added. Give its secret to the receiver now: it is shown only once.");
            return RedirectToPage();
        }
        catch (WebhookEndpointException ex)
        {
            Errors = ex.Problems; // translated in the page (CmiText.CoreMessages)
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostTestAsync(string id, CancellationToken cancellationToken)
    {
        var result = await log.TestSendAsync(id, cancellationToken);
        if (result is null)
        {
            return NotFound();
        }
        await audit.WriteAsync("webhook.test", id, result.Delivered ? "delivered" : result.Error, cancellationToken);
        Message = result.Delivered
            ? this.Say("Test delivered: HTTP {0} in {1} ms.", result.StatusCode, result.DurationMs)
            : this.Say("Test not delivered: {0}", result.Error);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSecretAsync(string id, CancellationToken cancellationToken)
    {
        if (await endpoints.RotateSecretAsync(id, cancellationToken) is not { } secret)
        {
            return NotFound();
        }
        await audit.WriteAsync("webhook.secret", id, null, cancellationToken);
        NewSecret = secret;
        Message = this.Say("New secret made: the old one no longer signs. Give this one to the receiver now: it is shown only once.");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEnableAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        if (await endpoints.GetAsync(id, cancellationToken) is not { Source: not WebhookSources.Configuration } endpoint)
        {
            return NotFound();
        }
        await endpoints.UpdateAsync(id, new EndpointRequest(endpoint.Url, WebhookEndpoints.SplitList(endpoint.Events),
            endpoint.Types is null ? null : WebhookEndpoints.SplitList(endpoint.Types), endpoint.Description), enabled, cancellationToken);
        await audit.WriteAsync(enabled ? "webhook.resume" : "webhook.pause", id, endpoint.Url, cancellationToken);
        dispatcher.Wake();
        Message = enabled ? this.Say("Endpoint resumed: what waited is sent now, in order.") : this.Say("Endpoint paused: its events wait until it is resumed.");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, bool confirm, CancellationToken cancellationToken)
    {
        if (!confirm)
        {
            Message = this.Say("Tick \"yes, delete\" to delete the endpoint.");
            return RedirectToPage();
        }
        if (!await endpoints.DeleteAsync(id, cancellationToken))
        {
            return NotFound();
        }
        await audit.WriteAsync("webhook.delete", id, null, cancellationToken);
        Message = this.Say("Endpoint deleted, with its queue and log.");
        return RedirectToPage();
    }
}
