using System.Text.RegularExpressions;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Notifications.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Embassy.Notifications.Webhooks;

/// <summary>What an endpoint is asked to be; <see cref="WebhookEndpoints.Check"/> says what is wrong with it.</summary>
public sealed record EndpointRequest(string Url, IReadOnlyCollection<string> Events, IReadOnlyCollection<string>? Types, string Description);

/// <summary>
/// The webhook endpoints: made in the CMI (administrators), by a recipe, or from configuration. Secrets are stored
/// protected by the data-protection keys (in the database, shared by both servers); a configured endpoint's secret
/// stays in configuration. Every path in checks the same rules (<see cref="Check"/>), not only the CMI's form.
/// </summary>
public sealed partial class WebhookEndpoints(EmbassyDbContext db, IDataProtectionProvider protection, IOptions<WebhookOptions> options,
    TimeProvider clock, ChangeFeed feed, CurrentActor actor)
{
    /// <summary>
    /// Only an Administrator (whose role requires a second factor by default), or the system (a recipe at setup, a
    /// command), makes, changes, deletes an endpoint or gives it a secret: whoever does can read what is sent, signed,
    /// to the address they choose. Checked here, whoever calls, not only on the CMI's page.
    /// </summary>
    private void MayChange()
    {
        if (!actor.IsSystem && (actor.Principal is not { } user || !Permissions.IsAdministrator(user)))
        {
            throw new WebhookForbiddenException($"{actor.UserName ?? "nobody signed in"} may not change webhook endpoints or their secrets (Administrators only).");
        }
    }

    public const int MaxTypes = 50;
    private IDataProtector Protector => protection.CreateProtector("Embassy.Notifications.WebhookSecret.v1");

    private IQueryable<WebhookEndpointRecord> Endpoints => db.Set<WebhookEndpointRecord>();

    public async Task<IReadOnlyList<WebhookEndpointRecord>> ListAsync(CancellationToken cancellationToken) =>
        await Endpoints.AsNoTracking().OrderBy(e => e.CreatedUtc).ThenBy(e => e.Id).ToListAsync(cancellationToken);

    public Task<WebhookEndpointRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Endpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    /// <summary>What is wrong with an endpoint request (empty: nothing), in words an administrator can act on.</summary>
    public static IReadOnlyList<string> Check(EndpointRequest request, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (request.Url.Length > 2000 || !Uri.TryCreate(request.Url, UriKind.Absolute, out var uri))
        {
            problems.Add("The URL must be an absolute https:// address (at most 2000 characters).");
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && !(options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            problems.Add(options.AllowHttp ? "The URL must start with https:// or http://." : "The URL must start with https:// (plain http is off: Embassy:Webhooks:AllowHttp).");
        }
        else if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            problems.Add("The URL may not hold a user name, password or #fragment.");
        }
        if (request.Events.Count == 0)
        {
            problems.Add("Choose at least one event.");
        }
        foreach (var name in request.Events.Where(e => !NotificationEvents.All.Contains(e)))
        {
            problems.Add($"'{Short(name)}' is not an event (content.published, content.unpublished, content.deleted).");
        }
        if (request.Types is { } types)
        {
            if (types.Count > MaxTypes)
            {
                problems.Add($"At most {MaxTypes} content types.");
            }
            foreach (var type in types.Where(t => !TypeName().IsMatch(t)))
            {
                problems.Add($"'{Short(type)}' is not a content type name.");
            }
        }
        if (request.Description.Length > 500)
        {
            problems.Add("The description is longer than 500 characters.");
        }
        return problems;
    }

    /// <summary>"a, b,,c" → [a, b, c]; null or blank → empty.</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Makes an endpoint; its new secret (or the one given, a recipe's) is returned once.</summary>
    public async Task<(WebhookEndpointRecord Endpoint, string Secret)> CreateAsync(EndpointRequest request, string source, string? secret,
        CancellationToken cancellationToken)
    {
        MayChange();
        var problems = Check(request, options.Value);
        if (secret is not null && WebhookSigning.Key(secret) is null)
        {
            problems = [.. problems, "The secret must be whsec_ followed by base64 of 16 to 64 bytes."];
        }
        if (problems.Count > 0)
        {
            throw new WebhookEndpointException(problems);
        }
        secret ??= WebhookSigning.NewSecret();
        var record = new WebhookEndpointRecord
        {
            Id = IdGenerator.NewId(), Source = source, CreatedUtc = clock.GetUtcNow().UtcDateTime,
            ProtectedSecret = Protector.Protect(secret),
            QueuedThrough = await feed.GetHeadAsync(cancellationToken), // from now on: no history
        };
        Apply(record, request);
        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (record, secret);
    }

    /// <summary>Changes where an endpoint goes and what it hears (not its secret, not its queue).</summary>
    public async Task<bool> UpdateAsync(string id, EndpointRequest request, bool enabled, CancellationToken cancellationToken)
    {
        MayChange();
        if (Check(request, options.Value) is { Count: > 0 } problems)
        {
            throw new WebhookEndpointException(problems);
        }
        if (await Endpoints.FirstOrDefaultAsync(e => e.Id == id && e.Source != WebhookSources.Configuration, cancellationToken) is not { } record)
        {
            return false;
        }
        Apply(record, request);
        record.Enabled = enabled;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static void Apply(WebhookEndpointRecord record, EndpointRequest request)
    {
        record.Url = request.Url;
        record.Events = string.Join(',', request.Events);
        record.Types = request.Types is { Count: > 0 } types ? string.Join(',', types) : null;
        record.Description = request.Description.Trim();
    }

    /// <summary>A new secret for an endpoint (the old one stops working at once); null for none or a configured one.</summary>
    public async Task<string?> RotateSecretAsync(string id, CancellationToken cancellationToken)
    {
        MayChange();
        if (await Endpoints.FirstOrDefaultAsync(e => e.Id == id && e.Source != WebhookSources.Configuration, cancellationToken) is not { } record)
        {
            return null;
        }
        var secret = WebhookSigning.NewSecret();
        record.ProtectedSecret = Protector.Protect(secret);
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>Sets a given secret (a recipe's); false for no such endpoint.</summary>
    public async Task<bool> SetSecretAsync(string id, string secret, CancellationToken cancellationToken)
    {
        MayChange();
        if (WebhookSigning.Key(secret) is null)
        {
            throw new WebhookEndpointException(["The secret must be whsec_ followed by base64 of 16 to 64 bytes."]);
        }
        if (await Endpoints.FirstOrDefaultAsync(e => e.Id == id && e.Source != WebhookSources.Configuration, cancellationToken) is not { } record)
        {
            return false;
        }
        record.ProtectedSecret = Protector.Protect(secret);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes an endpoint with its queue and log (not a configured one: that goes with its configuration).</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        MayChange();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await Endpoints.Where(e => e.Id == id && e.Source != WebhookSources.Configuration).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            var deliveries = db.Set<WebhookDeliveryRecord>().Where(d => d.EndpointId == id);
            await db.Set<WebhookAttemptRecord>().Where(a => deliveries.Any(d => d.Id == a.DeliveryId)).ExecuteDeleteAsync(cancellationToken);
            await deliveries.ExecuteDeleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    /// <summary>The signing key of an endpoint (configured ones: from configuration); null when it has none that works.</summary>
    public byte[]? KeyOf(WebhookEndpointRecord endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Source == WebhookSources.Configuration)
        {
            return ConfiguredIndex(endpoint.Id) is { } n && n < options.Value.Endpoints.Count ? WebhookSigning.Key(options.Value.Endpoints[n].Secret) : null;
        }
        try
        {
            return endpoint.ProtectedSecret is null ? null : WebhookSigning.Key(Protector.Unprotect(endpoint.ProtectedSecret));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // its key ring is gone (a restore elsewhere): the CMI says so, and a new secret mends it
        }
    }

    public static string ConfiguredId(int index) => "config-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int? ConfiguredIndex(string id) =>
        id.StartsWith("config-", StringComparison.Ordinal) && int.TryParse(id["config-".Length..], out var n) ? n : null;

    /// <summary>
    /// Keeps the configured endpoints' rows (their queues and logs) in step with configuration: added, changed, or
    /// removed with their queue. The master runs it at start; both servers have the same configuration, so after a
    /// promotion the new master finds the rows it needs, with their queues.
    /// </summary>
    public async Task SyncConfigurationAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Endpoints;
        var existing = await Endpoints.Where(e => e.Source == WebhookSources.Configuration).ToListAsync(cancellationToken);
        for (var n = 0; n < configured.Count; n++)
        {
            var id = ConfiguredId(n);
            var request = Request(configured[n]);
            var record = existing.FirstOrDefault(e => e.Id == id);
            if (record is null)
            {
                record = new WebhookEndpointRecord
                {
                    Id = id, Source = WebhookSources.Configuration, CreatedUtc = clock.GetUtcNow().UtcDateTime,
                    QueuedThrough = await feed.GetHeadAsync(cancellationToken),
                };
                db.Add(record);
            }
            Apply(record, request);
            record.Enabled = true;
        }
        foreach (var gone in existing.Where(e => ConfiguredIndex(e.Id) is not { } n || n >= configured.Count))
        {
            db.Remove(gone);
            await db.Set<WebhookDeliveryRecord>().Where(d => d.EndpointId == gone.Id).ExecuteDeleteAsync(cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A configured endpoint as a request (events default to all, types to all).</summary>
    internal static EndpointRequest Request(ConfiguredEndpoint endpoint) =>
        new(endpoint.Url ?? "", SplitList(endpoint.Events) is { Count: > 0 } events ? events : NotificationEvents.All, SplitList(endpoint.Types) is { Count: > 0 } types ? types : null,
            endpoint.Description ?? "configured");

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,254}$")]
    private static partial Regex TypeName();
}

/// <summary>An endpoint that was refused, with every reason.</summary>
/// <summary>The caller may not change webhook endpoints (the CMI answers with its "not allowed" page, the API 403).</summary>
public sealed class WebhookForbiddenException(string message) : Exception(message);

public sealed class WebhookEndpointException(IReadOnlyList<string> problems) : Exception(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
