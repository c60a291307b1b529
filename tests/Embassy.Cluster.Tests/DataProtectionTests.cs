using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Testing;

namespace Embassy.Cluster.Tests;

/// <summary>Operations issue: keys were in a folder the unit made read-only, so editors were signed out at every restart.
/// The keys are in the database now: a sign-in made on one server is good on another server of the same database
/// (different data directories), as after a restart or a failover.</summary>
public sealed class DataProtectionTests
{
    [Fact]
    public async Task ASignInFromOneServer_IsGoodOnAnotherOfTheSameDatabase()
    {
        var connection = await SharedMariaDb.NewDatabaseAsync();
        await using var first = new EmbassyAppFactory(TestSite.NewDataDirectory(), connection);
        var signIn = await first.CreateClient().PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookies = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        await first.DisposeAsync();

        await using var second = new EmbassyAppFactory(TestSite.NewDataDirectory(), connection);
        var client = second.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/api/session");
        request.Headers.Add("Cookie", cookies);
        var session = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.Equal("admin", (string?)(await session.Content.ReadFromJsonAsync<JsonObject>())!["userName"]);
    }
}
