using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Embassy.Cluster;
using Embassy.Testing;

namespace Embassy.Cms.Tests;

/// <summary>
/// Security finding 14: the server spoke plain HTTP only. With certificate files it serves HTTPS, plain HTTP only
/// redirects, cookies are Secure, HSTS is sent, and a renewed certificate is used without a restart. The whole server
/// runs as a process, as systemd would run it.
/// </summary>
public sealed class TlsTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task WithCertificateFiles_TheServerSpeaksHttps_RedirectsHttp_AndPicksUpARenewedCertificate()
    {
        var data = TestSite.NewDataDirectory();
        using var certificates = new TestCertificates(Path.Combine(data, "tls"));
        var first = certificates.IssueServerCertificate();
        int https = FreePort(), http = FreePort();
        var info = CmsProcess.StartInfo(data, "--urls", $"https://127.0.0.1:{https};http://127.0.0.1:{http}");
        info.Environment["Embassy__Tls__CertificateFile"] = certificates.CertificateFile;
        info.Environment["Embassy__Tls__KeyFile"] = certificates.KeyFile;
        info.Environment["Embassy__Tls__HttpsPort"] = https.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Embassy__Setup__AdminPassword"] = EmbassyAppFactory.AdminPassword;
        info.Environment["Embassy__Security__RequireTwoFactorFor"] = "";
        using var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            string? seen = null;
            HttpClient Client() => new(new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.Zero,
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        seen = (certificate as X509Certificate2)?.Thumbprint;
                        return certificate is X509Certificate2 server && MasterConnection.IsIssuedBy(server, certificates.Ca, errors);
                    },
                },
            }) { BaseAddress = new Uri($"https://127.0.0.1:{https}") };

            await Eventually.TrueAsync(async () =>
            {
                try { return (await Client().GetAsync("/health/live")).IsSuccessStatusCode; } catch (HttpRequestException) { return false; }
            }, "the server answers over HTTPS", TimeSpan.FromSeconds(60));
            var live = await Client().GetAsync("/health/live");
            Assert.Equal(first, seen);
            Assert.StartsWith("max-age=", live.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
            Assert.Contains("includeSubDomains", live.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal); // ASVS V3.4.1

            using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var redirect = await plain.GetAsync($"http://127.0.0.1:{http}/api/v1/types");
            Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
            Assert.Equal($"https://127.0.0.1:{https}/api/v1/types", redirect.Headers.Location!.ToString());
            var signInOverHttp = await plain.PostAsJsonAsync($"http://127.0.0.1:{http}/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword });
            Assert.Equal(HttpStatusCode.PermanentRedirect, signInOverHttp.StatusCode); // a password over plain HTTP gets no session
            Assert.False(signInOverHttp.Headers.Contains("Set-Cookie"));

            var signedIn = await Client().PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword });
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.All(signedIn.Headers.GetValues("Set-Cookie"), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));

            // A renewal writes new files: new connections get the new certificate, with no restart.
            var renewed = certificates.IssueServerCertificate();
            Assert.NotEqual(first, renewed);
            await Eventually.TrueAsync(async () =>
            {
                await Client().GetAsync("/health/live");
                return seen == renewed;
            }, "the renewed certificate is served", TimeSpan.FromSeconds(20));
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task TheStandby_TrustsOnlyTheConfiguredCa_ForTheMastersCertificate()
    {
        var directory = TestSite.NewDataDirectory();
        using var ours = new TestCertificates(Path.Combine(directory, "ours"));
        using var theirs = new TestCertificates(Path.Combine(directory, "theirs"));
        ours.IssueServerCertificate();
        using var serverCertificate = X509Certificate2.CreateFromPemFile(ours.CertificateFile, ours.KeyFile);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync();
                using var tls = new SslStream(client.GetStream());
                try
                {
                    await tls.AuthenticateAsServerAsync(X509CertificateLoader.LoadPkcs12(serverCertificate.Export(X509ContentType.Pkcs12), null));
                    var buffer = new byte[4096];
                    _ = await tls.ReadAsync(buffer);
                    await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray());
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
                {
                    // the client refused the certificate
                }
            }
        });
        using var trusting = new HttpClient(MasterConnection.Handler(new ClusterOptions { CaCertificateFile = ours.CaFile }));
        Assert.Equal("ok", await trusting.GetStringAsync($"https://127.0.0.1:{port}/"));
        using var wrongCa = new HttpClient(MasterConnection.Handler(new ClusterOptions { CaCertificateFile = theirs.CaFile }));
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.GetStringAsync($"https://127.0.0.1:{port}/"));
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
