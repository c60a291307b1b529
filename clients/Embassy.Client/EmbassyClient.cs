using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Embassy.Client;

/// <summary>
/// The mobile API, typed. Build it with <see cref="Create"/> (the server policy included) or give it an
/// <see cref="HttpClient"/> whose handler chain contains a <see cref="FailoverHandler"/>.
/// </summary>
/// <example>
/// <code>
/// var client = EmbassyClient.Create(new ServerPolicyOptions
/// {
///     Servers = [new Uri("https://app1.example.gov/"), new Uri("https://app2.example.gov/")],
/// });
/// var news = await client.ListAsync("News", culture: "pl");
/// await client.SyncAsync(tokens, page => SaveToOfflineCache(page));
/// </code>
/// </example>
public sealed class EmbassyClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>A client with the app's server policy over a fresh handler chain.</summary>
    public static EmbassyClient Create(ServerPolicyOptions options, IServerChoiceStore? store = null, HttpMessageHandler? inner = null) =>
        new(new HttpClient(new FailoverHandler(options, store) { InnerHandler = inner ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All } })
        {
            BaseAddress = FailoverHandler.PlaceholderBase,
            Timeout = TimeSpan.FromMinutes(10),
        });

    /// <summary>A page of published items of a type.</summary>
    public Task<ItemPage> ListAsync(string type, string? culture = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        GetAsync<ItemPage>($"api/v1/content/{Uri.EscapeDataString(type)}{Query(("culture", culture), ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", cursor))}", cancellationToken);

    /// <summary>One item (its translation in <paramref name="culture"/> when asked), or null when it is not published.</summary>
    public async Task<Item?> GetItemAsync(string id, string? culture = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/items/{Uri.EscapeDataString(id)}{Query(("culture", culture))}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<Item>(Json, cancellationToken);
    }

    /// <summary>The content types and their fields.</summary>
    public async Task<IReadOnlyList<ContentType>> GetTypesAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync<TypesResponse>("api/v1/types", cancellationToken)).Types;

    /// <summary>The videos ready to play.</summary>
    public Task<IReadOnlyList<Video>> GetVideosAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<Video>>("api/v1/videos", cancellationToken);

    /// <summary>
    /// Brings the offline cache up to date: an initial sync when the store has no token (or the server no
    /// longer knows it), else the changes since. Every page is handed to <paramref name="apply"/> before the
    /// token moves on, so an interrupted sync resumes where it stopped.
    /// </summary>
    public async Task SyncAsync(ISyncTokenStore tokens, Func<SyncPage, Task> apply, string? types = null, string? culture = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(apply);
        var token = tokens.Load();
        string? cursor = null;
        while (true)
        {
            var url = token is not null
                ? $"api/v1/sync{Query(("token", token))}"
                : $"api/v1/sync{Query(("types", types), ("culture", culture), ("cursor", cursor))}";
            using var response = await http.GetAsync(url, cancellationToken);
            if (token is not null && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Gone)
            {
                token = null; // the server says: start an initial sync
                tokens.Save(null);
                continue;
            }
            await EnsureAsync(response, cancellationToken);
            var page = (await response.Content.ReadFromJsonAsync<SyncPage>(Json, cancellationToken))!;
            await apply(page);
            if (page.Token is not null)
            {
                tokens.Save(page.Token);
                token = page.Token;
            }
            if (page.Mode == "initial" && page.Next is not null)
            {
                cursor = page.Next;
                continue;
            }
            if (!page.HasMore)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Downloads a video into <paramref name="destination"/>, resuming from what it already holds with
    /// Range + If-Range; the servers' ETags are content hashes, so a download begun on one server continues
    /// on the other. If the file changed meanwhile the server sends it whole and the destination starts over.
    /// </summary>
    public async Task DownloadAsync(string mediaUrl, Stream destination, EntityTagHeaderValue? etag = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, mediaUrl.TrimStart('/'));
        if (destination.Length > 0 && etag is not null)
        {
            request.Headers.Range = new RangeHeaderValue(destination.Length, null);
            request.Headers.IfRange = new RangeConditionHeaderValue(etag);
        }
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            destination.SetLength(0);
        }
        destination.Seek(0, SeekOrigin.End);
        await response.Content.CopyToAsync(destination, cancellationToken);
    }

    private async Task<T> GetAsync<T>(string url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {(body.Length > 500 ? body[..500] : body)}", null, response.StatusCode);
        }
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }
}
