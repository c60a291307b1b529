using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Embassy.Client.Tests;

public sealed class FailoverHandlerTests
{
    private static readonly Uri A = new("http://a.test/");
    private static readonly Uri B = new("http://b.test/");
    private static readonly Uri C = new("http://c.test/");

    /// <summary>A fake network: each server answers as the test says; every request is recorded.</summary>
    private sealed class FakeServers : HttpMessageHandler
    {
        public Dictionary<string, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> Behaviour { get; } = new()
        {
            ["a.test"] = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)),
            ["b.test"] = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)),
            ["c.test"] = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)),
        };

        public List<string> Hosts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Hosts)
            {
                Hosts.Add(request.RequestUri!.Host);
            }
            return Behaviour[request.RequestUri!.Host](request, cancellationToken);
        }
    }

    private static (HttpClient Client, FakeServers Servers, FailoverHandler Handler) Create(FakeTimeProvider clock, IServerChoiceStore? store = null,
        Random? random = null, TimeSpan? timeout = null, IReadOnlyList<Uri>? list = null)
    {
        var servers = new FakeServers();
        var handler = new FailoverHandler(new ServerPolicyOptions { Servers = list ?? [A, B], Timeout = timeout ?? TimeSpan.FromSeconds(3) },
            store, clock, random ?? new Random(1)) { InnerHandler = servers };
        return (new HttpClient(handler) { BaseAddress = FailoverHandler.PlaceholderBase }, servers, handler);
    }

    [Fact]
    public async Task TheChoice_IsRandom_5050_AcrossAppRuns()
    {
        var random = new Random(12345);
        var onA = 0;
        for (var run = 0; run < 2000; run++)
        {
            var (client, servers, _) = Create(new FakeTimeProvider(), random: random);
            await client.GetAsync("api/v1/types");
            onA += servers.Hosts.Single() == "a.test" ? 1 : 0;
        }
        Assert.InRange(onA, 900, 1100); // 50% ± 5%
    }

    /// <summary>#33: a master and two standbys: each chosen a third of the time.</summary>
    [Fact]
    public async Task WithThreeServers_EachIsChosenAThirdOfTheTime()
    {
        var random = new Random(2024);
        var counts = new Dictionary<string, int>();
        for (var run = 0; run < 3000; run++)
        {
            var (client, servers, _) = Create(new FakeTimeProvider(), random: random, list: [A, B, C]);
            await client.GetAsync("api/v1/types");
            var host = servers.Hosts.Single();
            counts[host] = counts.GetValueOrDefault(host) + 1;
        }
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 900, 1100)); // 33% ± 3%
    }

    /// <summary>#33: with three servers, a failing one is left for one of the two others (each about half the time), the
    /// retry's server becomes the choice, and one avoided by Retry-After is not chosen again while it says so.</summary>
    [Fact]
    public async Task WithThreeServers_AFailureGoesToOneOfTheOthers_AndAnAvoidedOneIsNotChosen()
    {
        var clock = new FakeTimeProvider();
        var random = new Random(99);
        var retriedTo = new Dictionary<string, int>();
        for (var run = 0; run < 400; run++)
        {
            var store = new InMemoryServerChoiceStore();
            var (client, servers, handler) = Create(clock, store, random, list: [A, B, C]);
            var chosen = handler.CurrentServer.Host;
            servers.Behaviour[chosen] = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/types")).StatusCode);
            Assert.Equal(2, servers.Hosts.Count);
            var second = servers.Hosts[1];
            Assert.NotEqual(chosen, second);
            Assert.Equal(second, handler.CurrentServer.Host);
            var key = chosen + ">" + second;
            retriedTo[key] = retriedTo.GetValueOrDefault(key) + 1;
        }
        Assert.Equal(6, retriedTo.Count); // from each server to each of the two others
        foreach (var from in new[] { "a.test", "b.test", "c.test" })
        {
            var mine = retriedTo.Where(p => p.Key.StartsWith(from, StringComparison.Ordinal)).Select(p => p.Value).ToList();
            Assert.InRange(mine.Min() / (double)mine.Sum(), 0.35, 0.5);
        }

        // A 503 with Retry-After: while it lasts, a new choice (the stored one lost) is never that server.
        var lost = new InMemoryServerChoiceStore();
        var (first, firstServers, firstHandler) = Create(clock, lost, random, list: [A, B, C]);
        var away = firstHandler.CurrentServer.Host;
        firstServers.Behaviour[away] = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMinutes(1)) },
        });
        await first.GetAsync("api/v1/types");
        for (var i = 0; i < 50; i++)
        {
            lost.Save(null!);
            await first.GetAsync("api/v1/types");
            Assert.NotEqual(away, firstServers.Hosts[^1]);
        }
    }

    [Fact]
    public void AServerList_OfOne_OrNamingOneTwice_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new FailoverHandler(new ServerPolicyOptions { Servers = [A] }));
        Assert.Throws<ArgumentException>(() => new FailoverHandler(new ServerPolicyOptions { Servers = [A, B, A] }));
        Assert.Throws<ArgumentException>(() => new FailoverHandler(new ServerPolicyOptions { Servers = [A, new Uri("relative/", UriKind.Relative)] }));
    }

    [Fact]
    public async Task TheChoice_IsKeptForAnHour_ThenMadeAgain()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryServerChoiceStore();
        var (client, servers, _) = Create(clock, store, new Random(7));
        for (var i = 0; i < 50; i++)
        {
            await client.GetAsync("api/v1/types");
            clock.Advance(TimeSpan.FromSeconds(70)); // 50 requests over 58 minutes
        }
        Assert.Single(servers.Hosts.Distinct());
        var first = store.Load()!;
        clock.Advance(TimeSpan.FromMinutes(3)); // past the hour
        await client.GetAsync("api/v1/types");
        Assert.True(store.Load()!.ChosenAt > first.ChosenAt, "chosen again after an hour");
    }

    [Fact]
    public async Task ARestartedApp_ChoosesAgain_EvenWithAFreshStoredChoice()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryServerChoiceStore();
        var (client, _, _) = Create(clock, store);
        await client.GetAsync("api/v1/types");
        var before = store.Load()!;
        var (restarted, _, _) = Create(clock, store); // a new run of the app, a minute later
        clock.Advance(TimeSpan.FromMinutes(1));
        await restarted.GetAsync("api/v1/types");
        Assert.NotEqual(before.RunId, store.Load()!.RunId);
    }

    [Fact]
    public async Task AServerSilentFor3Seconds_IsLeftForTheOther_WhichBecomesTheChoice()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryServerChoiceStore();
        var (client, servers, handler) = Create(clock, store, timeout: TimeSpan.FromMilliseconds(300));
        var chosen = handler.CurrentServer.Host;
        var other = chosen == "a.test" ? "b.test" : "a.test";
        servers.Behaviour[chosen] = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // never answers
            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        var response = await client.GetAsync("api/v1/content/News");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([chosen, other], servers.Hosts);
        Assert.Equal(other, handler.CurrentServer.Host);
        servers.Hosts.Clear();
        await client.GetAsync("api/v1/content/News");
        Assert.Equal([other], servers.Hosts); // the next requests go straight to the new choice
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A5xx_OrARefusedConnection_GoesToTheOtherServer(int status)
    {
        var (client, servers, handler) = Create(new FakeTimeProvider());
        var chosen = handler.CurrentServer.Host;
        servers.Behaviour[chosen] = (_, _) => Task.FromResult(new HttpResponseMessage((HttpStatusCode)status));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/types")).StatusCode);
        Assert.Equal(2, servers.Hosts.Count);

        var (client2, servers2, handler2) = Create(new FakeTimeProvider());
        servers2.Behaviour[handler2.CurrentServer.Host] = (_, _) => throw new HttpRequestException("Connection refused", null, null);
        Assert.Equal(HttpStatusCode.OK, (await client2.GetAsync("api/v1/types")).StatusCode);
        Assert.Equal(2, servers2.Hosts.Count);
    }

    /// <summary>A body that fails after its first bytes, as when the server is killed in the middle of it.</summary>
    private sealed class CutOffStream() : MemoryStream(new byte[100])
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("Connection reset by peer");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("Connection reset by peer"));
    }

    [Fact]
    public async Task ABodyCutOffInTheMiddle_IsReadFromTheOtherServer_UnlessItIsLarge()
    {
        var (client, servers, handler) = Create(new FakeTimeProvider());
        var chosen = handler.CurrentServer.Host;
        var other = chosen == "a.test" ? "b.test" : "a.test";
        HttpResponseMessage CutOff(long length)
        {
            var content = new StreamContent(new CutOffStream());
            content.Headers.ContentLength = length;
            return new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content };
        }
        servers.Behaviour[chosen] = (_, _) => Task.FromResult(CutOff(262_144));
        servers.Behaviour[other] = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("whole") });
        var response = await client.GetAsync("media/videos/v.mp4");
        Assert.Equal("whole", await response.Content.ReadAsStringAsync());
        Assert.Equal([chosen, other], servers.Hosts);
        Assert.Equal(other, handler.CurrentServer.Host);

        // A body above the limit is the caller's to stream (and to resume with a Range request).
        servers.Behaviour[other] = (_, _) => Task.FromResult(CutOff(2L * 1024 * 1024));
        servers.Hosts.Clear();
        using var large = await client.GetAsync("media/videos/v.mp4", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.PartialContent, large.StatusCode);
        Assert.Equal([other], servers.Hosts);
        await Assert.ThrowsAsync<HttpRequestException>(() => large.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RetryAfter_KeepsTheServerAvoided_ForThatLong()
    {
        var clock = new FakeTimeProvider();
        var (client, servers, handler) = Create(clock);
        var busy = handler.CurrentServer.Host;
        servers.Behaviour[busy] = (_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(120));
            return Task.FromResult(response);
        };
        await client.GetAsync("api/v1/types");
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(20)); // new choices are made: the busy server is not chosen while avoided...
            servers.Hosts.Clear();
            await client.GetAsync("api/v1/types");
            if (i == 0)
            {
                Assert.DoesNotContain(busy, servers.Hosts);
            }
        }
    }

    [Fact]
    public async Task APost_IsNeverRetried_AndBothDownDoesNotStorm()
    {
        var (client, servers, handler) = Create(new FakeTimeProvider());
        servers.Behaviour[handler.CurrentServer.Host] = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway));
        var post = await client.PostAsync("admin/api/session", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        Assert.Single(servers.Hosts);

        servers.Hosts.Clear();
        servers.Behaviour["a.test"] = (_, _) => throw new HttpRequestException("down");
        servers.Behaviour["b.test"] = (_, _) => throw new HttpRequestException("down");
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("api/v1/types"));
        Assert.Equal(2, servers.Hosts.Count); // one try each, no loop
    }
}
