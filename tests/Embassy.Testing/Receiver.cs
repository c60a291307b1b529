using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embassy.Testing;

/// <summary>One request a receiver got: what it was sent and when.</summary>
public sealed record Received(string Path, DateTimeOffset At, string Body, IHeaderDictionary Headers, string Form);

/// <summary>A real HTTP server on a free loopback port that records every request and answers as the test says
/// (the n-th request to a path: n from 0).</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    private Receiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public string Url(string path) => BaseUrl + path;

    public IReadOnlyList<Received> To(string path) => Requests.Where(r => r.Path == path).ToList();

    public static async Task<Receiver> StartAsync(Func<HttpContext, int, Received, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary();
            foreach (var (key, value) in http.Request.Headers)
            {
                headers[key] = value;
            }
            var received = new Received(http.Request.Path.Value ?? "", DateTimeOffset.UtcNow, body, headers, body);
            var n = receiver._counts.AddOrUpdate(received.Path, 0, (_, c) => c + 1);
            receiver.Requests.Enqueue(received);
            await answer(http, n, received);
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
