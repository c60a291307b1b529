using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Embassy.Cms.Hosting;

/// <summary>HTTPS from certificate files (PEM), as certbot or an internal CA writes them.</summary>
public sealed class TlsOptions
{
    public const string Section = "Embassy:Tls";

    /// <summary>The certificate chain (fullchain.pem). With it, HTTPS endpoints in --urls use it and plain HTTP only redirects.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The private key (privkey.pem), readable by the server's user only.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The port plain HTTP redirects to (when the HTTPS endpoint is not on 443).</summary>
    public int? HttpsPort { get; set; }

    /// <summary>How long browsers must use HTTPS only (Strict-Transport-Security).</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Strict-Transport-Security covers the host's subdomains too (ASVS 5.0 V3.4.1); off only for a host whose
    /// subdomains must still answer plain HTTP.</summary>
    public bool HstsIncludeSubDomains { get; set; } = true;

    public bool Enabled => !string.IsNullOrEmpty(CertificateFile);
}

/// <summary>
/// The server's certificate, read from its files and read again when they change (a renewed certificate is used by
/// new connections within seconds, without a restart). A broken renewal keeps the last good certificate.
/// </summary>
public sealed partial class CertificateStore(IOptions<TlsOptions> options, ILogger<CertificateStore> logger) : IDisposable
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private X509Certificate2? _current;
    private DateTime _certificateWritten, _keyWritten;
    private long _checkedAt;

    public X509Certificate2 Current
    {
        get
        {
            var now = Environment.TickCount64;
            if (_current is not null && now - Interlocked.Read(ref _checkedAt) < CheckEvery.TotalMilliseconds)
            {
                return _current;
            }
            lock (_gate)
            {
                Interlocked.Exchange(ref _checkedAt, now);
                var tls = options.Value;
                var certificateWritten = File.GetLastWriteTimeUtc(tls.CertificateFile!);
                var keyWritten = tls.KeyFile is null ? default : File.GetLastWriteTimeUtc(tls.KeyFile);
                if (_current is null || certificateWritten != _certificateWritten || keyWritten != _keyWritten)
                {
                    try
                    {
                        var loaded = Load(tls);
                        var previous = _current;
                        _current = loaded;
                        (_certificateWritten, _keyWritten) = (certificateWritten, keyWritten);
                        if (previous is not null)
                        {
                            LogReloaded(logger, loaded.Subject, loaded.NotAfter);
                        }
                    }
                    catch (Exception ex) when (_current is not null && ex is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
                    {
                        LogReloadFailed(logger, ex); // half-written files during a renewal: keep serving the last good certificate
                    }
                }
                return _current!;
            }
        }
    }

    /// <summary>Loads the certificate; the exception names the files when they cannot be used.</summary>
    public static X509Certificate2 Load(TlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        using var pem = X509Certificate2.CreateFromPemFile(tls.CertificateFile!, tls.KeyFile);
        // An ephemeral PEM key cannot be used by SslStream on every platform: give it a persisted form.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => _current?.Dispose();

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "TLS certificate reloaded: {Subject}, valid until {NotAfter:u}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "TLS certificate files changed but could not be read; still serving the previous certificate")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}

public static class TlsSetup
{
    /// <summary>With Embassy:Tls:CertificateFile set: HTTPS endpoints serve it (reloaded on change), cookies are Secure, HSTS is sent.</summary>
    public static WebApplicationBuilder AddTls(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.Section)
            .Validate(o => !o.Enabled || File.Exists(o.CertificateFile), "Embassy:Tls:CertificateFile names a file that does not exist.")
            .Validate(o => !o.Enabled || o.KeyFile is null || File.Exists(o.KeyFile), "Embassy:Tls:KeyFile names a file that does not exist.")
            .ValidateOnStart();
        var tls = builder.Configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new TlsOptions();
        if (!tls.Enabled)
        {
            return builder;
        }
        builder.Services.AddSingleton<CertificateStore>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var store = kestrel.ApplicationServices.GetRequiredService<CertificateStore>();
            _ = store.Current; // a certificate that cannot be read stops the start, naming the file
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificateSelector = (_, _) => store.Current);
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = tls.HstsMaxAge;
            o.IncludeSubDomains = tls.HstsIncludeSubDomains;
            o.ExcludedHosts.Clear(); // also for an address such as 127.0.0.1: the server never serves content over plain HTTP
        });
        builder.Services.AddHttpsRedirection(o =>
        {
            o.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            o.HttpsPort = tls.HttpsPort;
        });
        builder.Services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        builder.Services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        builder.Services.PostConfigure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        return builder;
    }

    /// <summary>Plain HTTP only redirects to HTTPS; HTTPS responses carry Strict-Transport-Security.</summary>
    public static WebApplication UseTls(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<TlsOptions>>().Value.Enabled)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        return app;
    }
}
