using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Core;

/// <summary>One ASP.NET Core data-protection key (the XML the key manager writes).</summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string Xml { get; set; } = "";
}

/// <summary>
/// Data-protection keys (they protect sign-in cookies, antiforgery tokens, two-factor state) in the database, which
/// replicates: both servers hold the same keys, so editors stay signed in across restarts and across a failover to the
/// other server. The master creates and rotates them; a standby (read-only) only reads them.
/// </summary>
/// <remarks>Each key's secret is stored encrypted with the key file (<see cref="DataProtectionKeyFile"/>); a key stored
/// in plain text before that is encrypted in place by the master the first time it reads it.</remarks>
public sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<EmbassyOptions> embassy,
    DataProtectionKeyFile keyFile) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var rows = db.Set<DataProtectionKeyRecord>().OrderBy(k => k.Id).ToList();
        var elements = new List<XElement>(rows.Count);
        var upgraded = false;
        foreach (var row in rows)
        {
            var element = XElement.Parse(row.Xml);
            if (embassy.Value.Role == ServerRole.Master && keyFile.EncryptPlainSecrets(element) is { } encrypted)
            {
                row.Xml = encrypted.ToString(SaveOptions.DisableFormatting);
                upgraded = true;
            }
            elements.Add(element);
        }
        if (upgraded)
        {
            db.SaveChanges();
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (embassy.Value.Role == ServerRole.Standby)
        {
            return; // read-only: a standby uses the master's keys (replicated); one it had to make stays in this process
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        db.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
