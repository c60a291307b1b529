using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Testing;

/// <summary>The whole application on a real loopback socket, for clients that are real programs (curl, ffprobe, ffmpeg).</summary>
public sealed class KestrelSite : IAsyncDisposable
{
    private KestrelSite(EmbassyAppFactory app, Uri address)
    {
        App = app;
        Address = address;
    }

    public EmbassyAppFactory App { get; }

    public Uri Address { get; }

    public string Url(string path) => new Uri(Address, path).ToString();

    public static KestrelSite Start(EmbassyAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelSite(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>A client signed in as the administrator, sending the antiforgery token with every request.</summary>
    public async Task<HttpClient> SignInAsync(string userName = "admin", string password = EmbassyAppFactory.AdminPassword)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var response = await client.PostAsJsonAsync("/admin/api/session", new { userName, password });
        response.EnsureSuccessStatusCode();
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", (string)session!["antiforgeryToken"]!);
        return client;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
