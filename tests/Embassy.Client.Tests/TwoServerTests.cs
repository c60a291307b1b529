using Embassy.Testing;

namespace Embassy.Client.Tests;

/// <summary>The client against two real servers on the same data: stopping one mid-run loses no request.</summary>
public sealed class TwoServerTests
{
    [Fact]
    public async Task StoppingAServerMidRun_LosesNoRequest()
    {
        var data = TestSite.NewDataDirectory();
        // Eight simulated users share 127.0.0.1 here; real users have addresses of their own.
        var unlimited = new Dictionary<string, string?> { ["MobileApi:RateLimitPerSecond"] = "100000", ["MobileApi:RateLimitBurst"] = "100000" };
        await using var first = KestrelSite.Start(new EmbassyAppFactory(data, settings: unlimited));
        var second = KestrelSite.Start(new EmbassyAppFactory(data, settings: new Dictionary<string, string?>(unlimited)
        {
            ["Embassy:Role"] = "Standby",
            ["Embassy:Cluster:MasterUrl"] = first.Address.ToString(),
            ["Embassy:Cluster:SyncSecret"] = "a-sync-secret-of-at-least-32-characters!",
        }));
        var store = new InMemoryServerChoiceStore();
        var options = new ServerPolicyOptions { Servers = [first.Address, second.Address] };
        var clients = Enumerable.Range(0, 8).Select(_ => EmbassyClient.Create(options, new InMemoryServerChoiceStore())).ToList();
        var failures = 0;
        var firstError = "";
        var done = 0;
        var stopped = false;
        var tokens = new InMemorySyncTokenStore();
        await clients[0].SyncAsync(tokens, _ => Task.CompletedTask, types: "News,Alert", culture: "en");
        Assert.NotNull(tokens.Load());

        var work = clients.Select(async (client, n) =>
        {
            for (var i = 0; i < 60; i++)
            {
                try
                {
                    var page = await client.ListAsync(i % 2 == 0 ? "News" : "Alert", culture: n % 2 == 0 ? "pl" : "en");
                    Assert.NotEmpty(page.Items);
                    var item = await client.GetItemAsync(page.Items[0].Id);
                    Assert.NotNull(item);
                    await client.SyncAsync(new InMemorySyncTokenStore(), _ => Task.CompletedTask, types: "Alert");
                    Interlocked.Increment(ref done);
                }
                catch (Exception ex)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        firstError = ex.ToString();
                    }
                }
                if (n == 0 && i == 20 && !stopped)
                {
                    stopped = true;
                    await second.DisposeAsync(); // one server goes away mid-run
                }
            }
        });
        await Task.WhenAll(work);
        Assert.True(stopped);
        Assert.True(failures == 0, $"{failures} failed; the first: {firstError}");
        Assert.Equal(8 * 60, done);
        var types = await clients[0].GetTypesAsync();
        Assert.Contains(types, t => t.Name == "News");
    }
}
