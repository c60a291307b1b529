using System.Text.Json.Nodes;
using Embassy.Notifications.Data;
using Embassy.Notifications.Webhooks;
using Embassy.Recipes;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Notifications;

/// <summary>
/// The "Webhooks" recipe step: <c>{ "name": "Webhooks", "Endpoints": [ { "Url": "https://…", "Events": "content.published",
/// "Types": "Alert,News", "Secret": "whsec_…", "Description": "…" } ] }</c>. An endpoint with the same URL is updated (its
/// secret kept unless one is given), a new one made; without a secret one is generated (an administrator reads it by
/// making a new one in the CMI). Events and types take a list or a comma-separated string.
/// </summary>
internal sealed class WebhooksStep(WebhookEndpoints endpoints, Embassy.Core.EmbassyDbContext db) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        if (context.Property("endpoints") is not JsonArray list)
        {
            throw new RecipeException("a Webhooks step needs an \"Endpoints\" array");
        }
        int created = 0, updated = 0;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject item)
            {
                throw new RecipeException($"Endpoints[{i}] must be an object");
            }
            var request = new EndpointRequest(Text(item, "Url") ?? "", List(item, "Events") is { Count: > 0 } events ? events : NotificationEvents.All,
                List(item, "Types") is { Count: > 0 } types ? types : null, Text(item, "Description") ?? "");
            var secret = Text(item, "Secret");
            try
            {
                var existing = await db.Set<WebhookEndpointRecord>().AsNoTracking()
                    .FirstOrDefaultAsync(e => e.Url == request.Url && e.Source != WebhookSources.Configuration, cancellationToken);
                if (existing is null)
                {
                    await endpoints.CreateAsync(request, WebhookSources.Recipe, secret, cancellationToken);
                    created++;
                }
                else
                {
                    await endpoints.UpdateAsync(existing.Id, request, enabled: true, cancellationToken);
                    if (secret is not null)
                    {
                        await endpoints.SetSecretAsync(existing.Id, secret, cancellationToken);
                    }
                    updated++;
                }
            }
            catch (WebhookEndpointException ex)
            {
                throw new RecipeException($"Endpoints[{i}]: {ex.Message}", ex);
            }
        }
        return $"{list.Count} webhook endpoints: {created} created, {updated} updated";
    }

    private static string? Text(JsonObject item, string name) =>
        item.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static IReadOnlyList<string> List(JsonObject item, string name) =>
        item.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value switch
        {
            JsonArray array => array.Select(v => v?.ToString() ?? "").Where(v => v.Length > 0).ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) => WebhookEndpoints.SplitList(s),
            _ => [],
        };
}
