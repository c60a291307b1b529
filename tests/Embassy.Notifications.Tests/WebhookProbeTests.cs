using System.Net;
using System.Net.Sockets;
using System.Text;
using Embassy.Notifications.Webhooks;

namespace Embassy.Notifications.Tests;

/// <summary>
/// An attacker's probes of the webhook sender (#31, SECURITY.md row 21): an endpoint URL that names an inward address in
/// any form — decimal, octal, hexadecimal, short, IPv6-mapped, IPv4-compatible, NAT64 and 6to4 embeddings, the
/// unspecified address, link-local metadata, private and carrier-grade ranges, a DNS name that resolves to loopback —
/// never connects (a listener on loopback counts what reaches it); a redirect is never followed; URL forms that are
/// not plain http(s) are refused where every path checks (<see cref="WebhookEndpoints.Check"/>).
/// </summary>
public sealed class WebhookProbeTests
{
    private static readonly WebhookOptions Guarded = new() { AllowPrivateNetworks = false, AllowHttp = true, Timeout = TimeSpan.FromSeconds(3) };

    [Fact]
    public async Task EveryFormOfAnInwardAddress_IsRefusedBeforeConnecting()
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0) { Server = { DualMode = true } };
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var reached = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref reached);
            }
        });
        // The loopback forms name the listener's port: without the check they would connect.
        var urls = new[]
        {
            $"http://127.0.0.1:{port}/", $"http://127.1:{port}/", $"http://2130706433:{port}/", $"http://0x7f000001:{port}/",
            $"http://0x7f.0.0.1:{port}/", $"http://0177.0.0.1:{port}/", $"http://017700000001:{port}/", $"http://127.000.000.001:{port}/",
            $"http://[::1]:{port}/", $"http://[0:0:0:0:0:0:0:1]:{port}/", $"http://[::ffff:127.0.0.1]:{port}/", $"http://[::ffff:7f00:1]:{port}/",
            $"http://[::127.0.0.1]:{port}/", $"http://[64:ff9b::127.0.0.1]:{port}/", $"http://[2002:7f00:1::1]:{port}/",
            $"http://localhost:{port}/", $"http://localhost.:{port}/", $"http://LOCALHOST:{port}/", $"http://ip6-localhost:{port}/",
            $"http://0.0.0.0:{port}/", $"http://0:{port}/", $"http://[::]:{port}/",
            "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[fe80::a9fe:a9fe]/", "http://10.0.0.1/", "http://172.16.0.1/",
            "http://172.31.255.255/", "http://192.168.0.1/", "http://100.64.0.1/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://224.0.0.1/",
            "http://[ff02::1]/", "http://[::ffff:10.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a00:1::1]/",
            "http://255.255.255.255/", "http://198.18.0.1/", "http://192.0.0.1/",
        };
        using var http = new HttpClient(WebhookSender.CreateHandler(Guarded)) { Timeout = TimeSpan.FromSeconds(5) };
        var failures = new List<string>();
        foreach (var url in urls)
        {
            try
            {
                using var response = await http.PostAsync(new Uri(url), new StringContent("{}"));
                failures.Add($"{url}: answered {(int)response.StatusCode}");
            }
            catch (HttpRequestException e) when (e.InnerException is AddressRefusedException || e is { HttpRequestError: HttpRequestError.NameResolutionError })
            {
                // refused (or a name no resolver knows: nothing to connect to)
            }
            catch (Exception e)
            {
                failures.Add($"{url}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(0, reached);
    }

    [Fact]
    public async Task ARedirect_IsNeverFollowed()
    {
        // Both on loopback (private networks allowed for this test): the first answers 307 to the second.
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var reached = 0;
        _ = Task.Run(async () => { while (true) { using var c = await target.AcceptTcpClientAsync(); Interlocked.Increment(ref reached); } });
        using var redirector = new TcpListener(IPAddress.Loopback, 0);
        redirector.Start();
        var location = $"http://127.0.0.1:{((IPEndPoint)target.LocalEndpoint).Port}/inside";
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await redirector.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var buffer = new byte[8192];
                _ = await stream.ReadAsync(buffer);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            }
        });
        var open = new WebhookOptions { AllowPrivateNetworks = true, AllowHttp = true, Timeout = TimeSpan.FromSeconds(3) };
        using var http = new HttpClient(WebhookSender.CreateHandler(open));
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)redirector.LocalEndpoint).Port}/hook"), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode); // the answer, as it is: a failed delivery
        await Task.Delay(200);
        Assert.Equal(0, reached);
    }

    /// <summary>A captured delivery replayed later is refused by a receiver that verifies the Standard Webhooks way (its
    /// library, as receivers use it: a 5-minute tolerance on webhook-timestamp, which the signature covers): each attempt
    /// is signed with the wall clock at sending, so a retry an hour later verifies, a replay of an old copy does not, and
    /// a copy whose timestamp is moved forward no longer matches its signature.</summary>
    [Fact]
    public void AReplayedDelivery_FailsTheReceiversTimestampCheck_AndAMovedTimestampItsSignature()
    {
        var secret = WebhookSigning.NewSecret();
        var key = WebhookSigning.Key(secret)!;
        const string id = "msg_replayed";
        const string body = "{\"type\":\"content.published\"}";
        Microsoft.AspNetCore.Http.HeaderDictionary Headers(long timestamp, string signature) => new()
        {
            ["webhook-id"] = id, ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), ["webhook-signature"] = signature,
        };
        var receiver = new StandardWebhooks.StandardWebhook(secret);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        receiver.Verify(body, Headers(now, WebhookSigning.Sign(key, id, now, body))); // as sent: verifies
        var old = now - 6 * 60;
        Assert.ThrowsAny<Exception>(() => receiver.Verify(body, Headers(old, WebhookSigning.Sign(key, id, old, body)))); // replayed 6 min later
        Assert.ThrowsAny<Exception>(() => receiver.Verify(body, Headers(now, WebhookSigning.Sign(key, id, old, body)))); // its timestamp moved
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:25/_HELO")]
    [InlineData("ftp://example.gov/hook")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/plain,hello")]
    [InlineData("dict://127.0.0.1:11211/stats")]
    [InlineData("ldap://example.gov/")]
    [InlineData("//example.gov/hook")]
    [InlineData("/relative/hook")]
    [InlineData("https://user:password@example.gov/hook")]
    [InlineData("https://example.gov@169.254.169.254/")]
    [InlineData("https://example.gov/hook#fragment")]
    [InlineData("http://example.gov/hook")] // plain http while AllowHttp is off (the default)
    public void AUrlThatIsNotAPlainHttpsAddress_IsRefusedWhereEveryPathChecks(string url)
    {
        var problems = WebhookEndpoints.Check(new EndpointRequest(url, ["content.published"], null, ""), new WebhookOptions());
        Assert.NotEmpty(problems);
    }
}
