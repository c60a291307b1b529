using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Core;
using Embassy.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Cluster.Tests;

/// <summary>
/// Operations issue: keys were in a folder the unit made read-only, so editors were signed out at every restart.
/// The keys are in the database now: a sign-in made on one server is good on another server of the same database
/// (different data directories), as after a restart or a failover — when both have the same key file (issue #38,
/// group 5): the keys are stored encrypted with it, so the database alone (a dump, a backup, the replica) opens nothing.
/// </summary>
public sealed class DataProtectionTests
{
    private static Dictionary<string, string?> KeyFile(string path) => new() { ["Embassy:DataProtectionKeyFile"] = path };

    [Fact]
    public async Task ASignInFromOneServer_IsGoodOnAnotherOfTheSameDatabase_WithTheSameKeyFile_AndOnlyThen()
    {
        var connection = await SharedMariaDb.NewDatabaseAsync();
        var keys = TestSite.NewDataDirectory();
        var keyFile = Path.Combine(keys, "data-protection.key");
        await using var first = new EmbassyAppFactory(TestSite.NewDataDirectory(), connection, KeyFile(keyFile));
        var signIn = await first.CreateClient().PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookies = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        // The master made the key file, for its owner only; the stored keys hold no secret in plain text.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<EmbassyDbContext>().Set<DataProtectionKeyRecord>().Select(k => k.Xml).ToListAsync();
            Assert.NotEmpty(stored);
            Assert.All(stored, xml =>
            {
                Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal); // the master key's bytes
            });
        }
        await first.DisposeAsync();

        async Task<HttpStatusCode> SessionOnAsync(EmbassyAppFactory server)
        {
            var client = server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/api/session");
            request.Headers.Add("Cookie", cookies);
            var session = await client.SendAsync(request);
            if (session.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("admin", (string?)(await session.Content.ReadFromJsonAsync<JsonObject>())!["userName"]);
            }
            return session.StatusCode;
        }

        // A server with a key file of its own (the database copied, the key file not): the cookie opens nothing.
        var otherFile = Path.Combine(TestSite.NewDataDirectory(), "data-protection.key");
        await using (var stranger = new EmbassyAppFactory(TestSite.NewDataDirectory(), connection, KeyFile(otherFile)))
        {
            Assert.NotEqual(HttpStatusCode.OK, await SessionOnAsync(stranger));
        }
        await using var second = new EmbassyAppFactory(TestSite.NewDataDirectory(), connection, KeyFile(keyFile));
        Assert.Equal(HttpStatusCode.OK, await SessionOnAsync(second));
    }

    [Fact]
    public async Task AKeyStoredInPlainText_BeforeKeysWereEncrypted_IsEncryptedInPlace_AndStillOpensWhatItProtected()
    {
        var data = TestSite.NewDataDirectory();
        await using (var app = new EmbassyAppFactory(data))
        {
            _ = app.Services; // first run: setup
        }
        // A key made the way the server made them before: ASP.NET Core's data protection, no encryptor.
        var oldKeys = Directory.CreateDirectory(Path.Combine(TestSite.NewDataDirectory(), "old-keys"));
        var old = DataProtectionProvider.Create(oldKeys, b => b.SetApplicationName("Embassy.Cms")).CreateProtector("test.purpose");
        var payload = old.Protect("made before the upgrade");
        var plain = File.ReadAllText(Directory.GetFiles(oldKeys.FullName, "key-*.xml").Single());
        Assert.Contains("<value>", plain, StringComparison.Ordinal);
        await using (var app = new EmbassyAppFactory(data))
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
                db.Add(new DataProtectionKeyRecord { FriendlyName = "old", Xml = System.Xml.Linq.XElement.Parse(plain).ToString(System.Xml.Linq.SaveOptions.DisableFormatting) });
                await db.SaveChangesAsync();
            }
        }
        await using (var app = new EmbassyAppFactory(data))
        {
            var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test.purpose");
            Assert.Equal("made before the upgrade", protector.Unprotect(payload));
            await using var scope = app.Services.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<EmbassyDbContext>().Set<DataProtectionKeyRecord>().SingleAsync(k => k.FriendlyName == "old");
            Assert.DoesNotContain("<value>", stored.Xml, StringComparison.Ordinal);
            Assert.Contains("encryptedSecret", stored.Xml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AKeyFileThatIsNotAKey_IsRefused_WithAMessageNamingIt()
    {
        var file = Path.Combine(TestSite.NewDataDirectory(), "data-protection.key");
        File.WriteAllText(file, "not a key\n");
        var refused = Assert.Throws<InvalidOperationException>(() => DataProtectionKeyFile.Open(new EmbassyOptions { DataDirectory = Path.GetDirectoryName(file)!, DataProtectionKeyFile = file }));
        Assert.Contains(file, refused.Message, StringComparison.Ordinal);
        Assert.Contains("Embassy:DataProtectionKeyFile", refused.Message, StringComparison.Ordinal);
    }
}
