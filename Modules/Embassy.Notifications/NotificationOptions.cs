using System.ComponentModel.DataAnnotations;

namespace Embassy.Notifications;

/// <summary>Embassy:Webhooks — where publication events go, and how hard the master tries.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Embassy:Webhooks";

    /// <summary>Endpoints set by configuration (Embassy:Webhooks:Endpoints:N:Url, :Secret, :Events, :Types), beside
    /// those made in the CMI or by recipes.</summary>
    public List<ConfiguredEndpoint> Endpoints { get; set; } = [];

    /// <summary>How often the master looks for new events and due retries when it is idle.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one attempt may take (connect, send, answer) before it counts as a timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before the first retry; each further retry waits twice as long (with ±20 % jitter), up to
    /// <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.001", "06:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after its first attempt an event is retried before it is given up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long outbox entries, deliveries and their attempts are kept once done.</summary>
    [Range(1, 365)]
    public int RetentionDays { get; set; } = 7;

    /// <summary>Endpoints may be on loopback or private networks (off by default: an administrator's URL must not reach
    /// the servers' own services). Checked on the address actually connected to, so DNS cannot get round it.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Endpoints may use plain http (off by default: https only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>The base of the item URL in a payload (e.g. https://api.example.gov); default MobileApi:PublicBaseUrl, else none
    /// (the URL is then the path, /api/v1/items/{id}).</summary>
    public Uri? PublicBaseUrl { get; set; }
}

public sealed class ConfiguredEndpoint
{
    public string? Url { get; set; }
    public string? Secret { get; set; }
    /// <summary>Comma-separated: content.published,content.unpublished,content.deleted (default: all three).</summary>
    public string? Events { get; set; }
    /// <summary>Comma-separated content types (default: all).</summary>
    public string? Types { get; set; }
    public string? Description { get; set; }
}

/// <summary>Embassy:Push — push notifications through Firebase Cloud Messaging (HTTP v1).</summary>
public sealed class PushOptions
{
    public const string Section = "Embassy:Push";

    public FcmOptions Fcm { get; set; } = new();
}

public sealed class FcmOptions
{
    /// <summary>The Google service-account JSON file (project_id, client_email, private_key, token_uri). Unset: no push.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>FCM's HTTP v1 base address.</summary>
    public Uri Endpoint { get; set; } = new("https://fcm.googleapis.com/");
}
