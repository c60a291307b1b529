using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Embassy.Cluster;

/// <summary>How the standby connects to the master: HTTPS checked against the system's roots, or against the internal CA
/// named by Embassy:Cluster:CaCertificateFile (the sync secret then never crosses the network in clear).</summary>
public static class MasterConnection
{
    public static SocketsHttpHandler Handler(ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.CaCertificateFile is { Length: > 0 } caFile)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is X509Certificate2 server && IsIssuedBy(server, ca, errors);
        }
        return handler;
    }

    /// <summary>The host name matches and the chain ends at <paramref name="ca"/> (only chain errors are forgiven: the
    /// internal CA is not in the system's store).</summary>
    public static bool IsIssuedBy(X509Certificate2 server, X509Certificate2 ca, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(server);
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false; // a name mismatch or no certificate at all
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
