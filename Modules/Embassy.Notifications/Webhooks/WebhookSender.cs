using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Embassy.Notifications.Data;
using Microsoft.Extensions.Options;

namespace Embassy.Notifications.Webhooks;

/// <summary>How one HTTP attempt ended: delivered, worth retrying (after <see cref="RetryAfter"/> if the receiver said), or final.</summary>
public sealed record AttemptResult(bool Delivered, bool Retry, int? StatusCode, TimeSpan? RetryAfter, int DurationMs, string? Error);

/// <summary>
/// Sends one signed webhook (Standard Webhooks headers). Redirects are not followed, at most 1 KB of an answer is read,
/// and unless Embassy:Webhooks:AllowPrivateNetworks is set, a connection to a loopback, private or link-local address
/// is refused — checked on the address connected to, after DNS, so a name that resolves inward cannot get round it.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options)
{
    public const string ClientName = "embassy-webhooks";

    /// <summary>The JSON body of an event: the same bytes for every attempt and every endpoint.</summary>
    public static string Payload(OutboxEventRecord e, Uri? publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(e);
        var path = "/api/v1/items/" + Uri.EscapeDataString(e.ContentItemId);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", e.Type);
            w.WriteString("timestamp", DateTime.SpecifyKind(e.OccurredUtc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteStartObject("data");
            w.WriteString("id", e.ContentItemId);
            w.WriteString("versionId", e.ContentItemVersionId);
            w.WriteString("contentType", e.ContentType);
            w.WriteString("culture", e.Culture);
            w.WriteString("url", publicBaseUrl is null ? path : new Uri(publicBaseUrl, path).ToString());
            w.WriteNumber("sequence", e.Sequence);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string TestPayload(string endpointId, DateTime now) => JsonSerializer.Serialize(new
    {
        type = NotificationEvents.Test,
        timestamp = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        data = new { endpointId, message = "A test from Embassy CMS: this endpoint receives its events." },
    });

    public async Task<AttemptResult> SendAsync(string url, byte[] key, string messageId, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        // The wall clock, not the application's TimeProvider: receivers check webhook-timestamp against their own clocks
        // (Standard Webhooks: within 5 minutes) to refuse replays.
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigning.Sign(key, messageId, timestamp, body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("EmbassyCMS-Webhooks", "1"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var answer = await ReadSomeAsync(response, timeout.Token);
            var ms = (int)watch.ElapsedMilliseconds;
            if (status is >= 200 and < 300)
            {
                return new AttemptResult(true, false, status, null, ms, null);
            }
            var retry = status is 408 or 429 or >= 500;
            var error = $"HTTP {status}{(answer.Length > 0 ? ": " + answer : "")}";
            return new AttemptResult(false, retry, status, retry ? RetryAfter(response) : null, ms, Clip(error));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(false, true, null, null, (int)watch.ElapsedMilliseconds, $"timed out after {options.Value.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex) when (ex.InnerException is AddressRefusedException refused)
        {
            return new AttemptResult(false, false, null, null, (int)watch.ElapsedMilliseconds, Clip(refused.Message));
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(false, true, null, null, (int)watch.ElapsedMilliseconds, Clip(ex.Message));
        }
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is > 0 and var n)
        {
            read += n;
        }
        return new string(Encoding.UTF8.GetString(buffer, 0, read).Where(c => !char.IsControl(c)).ToArray()).Trim();
    }

    /// <summary>Retry-After as seconds or an HTTP date; null when absent or unreadable.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    private static string Clip(string text) => text.Length > 480 ? text[..480] + "…" : text;

    /// <summary>The handler of the webhooks' HTTP client: no redirects, no cookies, the address check on connect.</summary>
    public static SocketsHttpHandler CreateHandler(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.Timeout,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
                var allowed = options.AllowPrivateNetworks ? addresses : addresses.Where(a => !IsInward(a)).ToArray();
                if (allowed.Length == 0)
                {
                    throw new AddressRefusedException($"refused: {host} is a loopback, private or link-local address (set Embassy:Webhooks:AllowPrivateNetworks to allow it)");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    /// <summary>
    /// An address that is not globally reachable (IANA's special-purpose registries): loopback, unspecified, private
    /// (RFC 1918, unique local), link-local (cloud metadata), carrier-grade NAT, benchmarking, documentation, IETF
    /// protocol assignments, reserved, broadcast and multicast; and IPv6 forms that carry an IPv4 address — mapped,
    /// IPv4-compatible, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) — judged by the IPv4 address they carry, Teredo and the
    /// local NAT64 prefix refused outright.
    /// </summary>
    public static bool IsInward(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsInwardV4(address.GetAddressBytes());
        }
        var b = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6)
        {
            return IsInwardV4(b.AsSpan(12, 4));
        }
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return true; // ::/96 (the unspecified, loopback and deprecated IPv4-compatible addresses) is never an endpoint
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            // 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is a local NAT64 prefix.
            return b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) >= 0 || IsInwardV4(b.AsSpan(12, 4));
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsInwardV4(b.AsSpan(2, 4)); // 6to4
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            return true; // Teredo: its IPv4 address is obfuscated, and no webhook receiver needs it
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return true; // documentation
        }
        if (b[0] == 0x01 && b[1] == 0x00 && b.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0)
        {
            return true; // 100::/64, discard-only
        }
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
    }

    private static bool IsInwardV4(ReadOnlySpan<byte> b) =>
        b[0] is 0 or 10 or 127 || b[0] >= 224                      // this network, private, loopback, multicast, reserved, broadcast
        || (b[0] == 169 && b[1] == 254)                           // link-local (cloud metadata)
        || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
        || (b[0] == 100 && b[1] is >= 64 and <= 127)              // carrier-grade NAT
        || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)           // IETF protocol assignments, documentation
        || (b[0] == 192 && b[1] == 88 && b[2] == 99)              // 6to4 relays
        || (b[0] == 198 && b[1] is 18 or 19)                      // benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113); // documentation
}

/// <summary>A webhook URL that leads to an address endpoints may not use.</summary>
public sealed class AddressRefusedException(string message) : IOException(message);
