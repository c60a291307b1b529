// The availability drill's load: simulated app users, each an app run with its own server choice
// (Embassy.Client's policy), who sync, list, open items and seek in a video. Prints one line:
// AVAILABILITY requests=N failed=N within3500ms=P% master_share=P% (and the latency distribution,
// and the longest waits in each second, to see what users felt during the faults).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Embassy.Client;

var arguments = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
var master = new Uri(arguments["master"]);
var standby = new Uri(arguments["standby"]);
var duration = TimeSpan.FromSeconds(double.Parse(arguments.GetValueOrDefault("duration", "120"), CultureInfo.InvariantCulture));
var sessionsPerSecond = double.Parse(arguments.GetValueOrDefault("sessions-per-second", "83"), CultureInfo.InvariantCulture); // 50,000 a day in 10 minutes
var video = arguments.GetValueOrDefault("video", "");

// Every simulated user shares this process's connection pool (at most 256 connections to each server, so that
// the one 2-core machine is not flooded: with 8,192, at ten times the rate, 91% of requests waited over 3 s).
// Time spent waiting for a pooled connection counts in the users' waits and in the 3 s timeout.
var shared = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromSeconds(3) };
var latencies = new ConcurrentBag<(double At, double Ms, bool Ok)>();
long requests = 0, failed = 0, onMaster = 0, choseMaster = 0;
var clock = Stopwatch.StartNew();
var errors = new ConcurrentDictionary<string, int>();

async Task<T?> Timed<T>(FailoverHandler handler, Func<Task<T>> call)
{
    var start = clock.Elapsed.TotalMilliseconds;
    var ok = true;
    T? result = default;
    try
    {
        result = await call();
    }
    catch (Exception ex)
    {
        ok = false;
        errors.AddOrUpdate(ex.GetType().Name + ": " + ex.Message[..Math.Min(80, ex.Message.Length)], 1, (_, n) => n + 1);
    }
    var elapsed = clock.Elapsed.TotalMilliseconds - start;
    latencies.Add((start / 1000, elapsed, ok));
    Interlocked.Increment(ref requests);
    if (!ok)
    {
        Interlocked.Increment(ref failed);
    }
    else if (handler.CurrentServer == master)
    {
        Interlocked.Increment(ref onMaster);
    }
    return result;
}

async Task SessionAsync(int n)
{
    var handler = new FailoverHandler(new ServerPolicyOptions { Servers = [master, standby] }) { InnerHandler = shared };
    if (handler.CurrentServer == master)
    {
        Interlocked.Increment(ref choseMaster); // the app run's random choice
    }
    var client = new EmbassyClient(new HttpClient(handler, disposeHandler: false) { BaseAddress = FailoverHandler.PlaceholderBase });
    var culture = n % 3 == 0 ? "en" : "pl";
    await Timed(handler, async () => { await client.SyncAsync(new InMemorySyncTokenStore(), _ => Task.CompletedTask, types: "Alert", culture: culture); return true; });
    var page = await Timed(handler, () => client.ListAsync(n % 2 == 0 ? "News" : "Event", culture: culture));
    foreach (var item in (page?.Items ?? []).Take(3))
    {
        await Timed(handler, () => client.GetItemAsync(item.Id, culture));
    }
    await Timed(handler, () => client.ListAsync("ConsularService", culture: culture));
    if (video.Length > 0)
    {
        // Seek: a 256 KiB range somewhere in the video, as a player does.
        await Timed(handler, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, video.TrimStart('/'));
            var offset = Random.Shared.Next(0, 4_000_000);
            request.Headers.Range = new RangeHeaderValue(offset, offset + 262_143);
            using var response = await new HttpClient(handler, disposeHandler: false) { BaseAddress = FailoverHandler.PlaceholderBase }.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.PartialContent)
            {
                throw new HttpRequestException($"video range answered {(int)response.StatusCode}");
            }
            // Read and dropped, as a player's buffer would take it (not a new 256 KiB array per seek).
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                var total = 0;
                for (int read; (read = await body.ReadAsync(buffer)) > 0;)
                {
                    total += read;
                }
                return total;
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        });
    }
}

var sessions = new List<Task>();
var started = 0;
while (clock.Elapsed < duration)
{
    var due = (int)(clock.Elapsed.TotalSeconds * sessionsPerSecond);
    while (started < due)
    {
        sessions.Add(SessionAsync(started++));
    }
    await Task.Delay(10);
}
await Task.WhenAll(sessions);

var all = latencies.ToArray();
var sorted = all.Select(l => l.Ms).Order().ToArray();
double P(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
var within = all.Count(l => l.Ok && l.Ms <= 3500) * 100.0 / Math.Max(1, all.Length);
Console.WriteLine($"sessions={started} duration={duration.TotalSeconds:0}s sessions_per_second={sessionsPerSecond:0.#}");
Console.WriteLine($"latency_ms p50={P(0.5):0.0} p90={P(0.9):0.0} p99={P(0.99):0.0} p99.9={P(0.999):0.0} max={P(1):0.0}");
Console.WriteLine("longest wait per 10 s window (s: ms): " + string.Join(" ", all.GroupBy(l => (int)(l.At / 10) * 10).OrderBy(g => g.Key)
    .Select(g => $"{g.Key}:{g.Max(l => l.Ms):0}")));
foreach (var (error, count) in errors.OrderByDescending(e => e.Value).Take(5))
{
    Console.WriteLine($"error x{count}: {error}");
}
// master_share: the users' random choice (the policy's 50/50). served_by_master: requests the master answered,
// which drops while the master is down, as it should: its users are on the standby meanwhile.
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"served_by_master={onMaster * 100.0 / Math.Max(1, requests - failed):0.0}%"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"AVAILABILITY requests={requests} failed={failed} within3500ms={within:0.000}% master_share={choseMaster * 100.0 / Math.Max(1, started):0.0}%"));
return failed == 0 ? 0 : 1;
