using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Tests;

/// <summary>A whole application with the test content (<see cref="TestContent"/>), polling the change-feed head every 50 ms.</summary>
public sealed class ApiTestSite : IAsyncDisposable
{
    public static readonly Dictionary<string, string?> FastPolling = new() { ["MobileApi:HeadPollInterval"] = "00:00:00.050" };

    private ApiTestSite(EmbassyAppFactory app)
    {
        App = app;
        Client = app.CreateClient();
    }

    public EmbassyAppFactory App { get; }

    public HttpClient Client { get; }

    /// <summary>A site over an app built by the caller (e.g. two servers on one data directory).</summary>
    public static ApiTestSite For(EmbassyAppFactory app) => new(app);

    public static async Task<ApiTestSite> CreateAsync(IDictionary<string, string?>? settings = null, TestDatabase database = TestDatabase.Sqlite)
    {
        var all = new Dictionary<string, string?>(FastPolling);
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }
        return new ApiTestSite(await EmbassyAppFactory.CreateAsync(database, all));
    }

    public async Task<T> ContentAsync<T>(Func<ContentManager, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ContentManager>());
    }

    public async Task<JsonObject> GetJsonAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds (the servers learn of changes by polling the head).</summary>
    public static Task EventuallyAsync(Func<Task<bool>> condition, string what) => Eventually.TrueAsync(condition, what, TimeSpan.FromSeconds(5));

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
