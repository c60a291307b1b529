using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Notifications.Data;
using Embassy.Notifications.Webhooks;
using Microsoft.Extensions.Options;

namespace Embassy.Notifications.Push;

/// <summary>A Google service account, as its JSON key file gives it.</summary>
public sealed record ServiceAccount(string ProjectId, string ClientEmail, string PrivateKey, string? PrivateKeyId, Uri TokenUri)
{
    /// <summary>Reads and checks the file; the message names what is wrong (never the key).</summary>
    public static ServiceAccount Read(string path)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("not a JSON object");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            throw new InvalidOperationException($"Embassy:Push:Fcm:CredentialsFile '{path}' cannot be read as a service-account JSON file: {ex.Message}", ex);
        }
        string Need(string name) => (json[name] as JsonValue)?.TryGetValue<string>(out var v) == true && v.Length > 0 ? v
            : throw new InvalidOperationException($"Embassy:Push:Fcm:CredentialsFile '{path}' has no \"{name}\" (download the key of a service account from the Firebase console).");
        var tokenUri = Need("token_uri");
        if (!Uri.TryCreate(tokenUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new InvalidOperationException($"Embassy:Push:Fcm:CredentialsFile '{path}': token_uri is not an http(s) URL.");
        }
        return new ServiceAccount(Need("project_id"), Need("client_email"), Need("private_key"), (json["private_key_id"] as JsonValue)?.ToString(), uri);
    }
}

/// <summary>
/// Firebase Cloud Messaging's HTTP v1 API: an OAuth2 access token from the service account (a JWT assertion signed
/// with its key, RS256, sent to its token_uri; kept until a minute before it expires), then one POST per message to a
/// topic. The message key (the item's version id) goes as the collapse key on Android and the collapse id on iOS, and
/// in the data, so a repeat after a failover replaces the first on the phone instead of showing twice.
/// </summary>
public sealed class FcmClient(IHttpClientFactory clients, IOptions<PushOptions> options, TimeProvider clock) : IDisposable
{
    public const string ClientName = "embassy-fcm";
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private (string Token, DateTimeOffset Until)? _token;
    private volatile Loaded? _account;

    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.Fcm.CredentialsFile);

    /// <summary>The service account, read again whenever its file changes: an operator who rotates the key replaces the
    /// file and needs no restart. The access token made with the previous key is dropped with it.</summary>
    private ServiceAccount Account
    {
        get
        {
            var path = options.Value.Fcm.CredentialsFile!;
            var written = File.GetLastWriteTimeUtc(path);
            if (_account is { } loaded && loaded.Written == written)
            {
                return loaded.Account;
            }
            var account = ServiceAccount.Read(path);
            _account = new Loaded(account, written);
            _token = null;
            return account;
        }
    }

    /// <summary>The JWT assertion of the token request (RFC 7523).</summary>
    internal static string Assertion(ServiceAccount account, DateTimeOffset now)
    {
        static string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));
        var header = Part(account.PrivateKeyId is null ? new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" }
            : new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = account.PrivateKeyId });
        var claims = Part(new Dictionary<string, object>
        {
            ["iss"] = account.ClientEmail, ["scope"] = Scope, ["aud"] = account.TokenUri.ToString(),
            ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        });
        using var rsa = RSA.Create();
        rsa.ImportFromPem(account.PrivateKey);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + claims + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<(string? Token, AttemptResult? Failure)> TokenAsync(ServiceAccount account, CancellationToken cancellationToken)
    {
        await _tokenLock.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (_token is { } cached && cached.Until > now)
            {
                return (cached.Token, null);
            }
            var watch = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, account.TokenUri)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = Assertion(account, now),
                }),
            };
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode || JsonNode.Parse(body) is not JsonObject json || (json["access_token"] as JsonValue)?.ToString() is not { Length: > 0 } token)
            {
                var status = (int)response.StatusCode;
                return (null, new AttemptResult(false, true, status, WebhookSender.RetryAfter(response), (int)watch.ElapsedMilliseconds,
                    $"token request to {account.TokenUri.Host} failed: HTTP {status} {Clip(body)}"));
            }
            var seconds = (json["expires_in"] as JsonValue)?.TryGetValue<int>(out var s) == true ? s : 3600;
            _token = (token, now.AddSeconds(Math.Max(seconds - 60, 30)));
            return (token, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, new AttemptResult(false, true, null, null, 0, $"token request failed: {Clip(ex.Message)}"));
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    /// <summary>The body FCM gets for a message.</summary>
    public static JsonObject Message(PushMessageRecord m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["topic"] = m.Topic,
                ["notification"] = new JsonObject { ["title"] = m.Title, ["body"] = m.Body },
                ["data"] = new JsonObject
                {
                    ["id"] = m.ContentItemId, ["type"] = m.ContentType, ["culture"] = m.Culture ?? "", ["versionId"] = m.ContentItemVersionId,
                    ["messageKey"] = m.ContentItemVersionId,
                },
                ["android"] = new JsonObject { ["priority"] = "high", ["collapse_key"] = m.ContentItemVersionId },
                ["apns"] = new JsonObject
                {
                    ["headers"] = new JsonObject { ["apns-priority"] = "10", ["apns-collapse-id"] = m.ContentItemVersionId },
                },
            },
        };
    }

    /// <summary>Sends one message: delivered (with FCM's message name), retry (429, 5xx, network; 401 once the token is renewed) or final.</summary>
    public async Task<(AttemptResult Result, string? Name)> SendAsync(PushMessageRecord message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ServiceAccount account;
        try
        {
            account = Account;
        }
        catch (InvalidOperationException ex)
        {
            return (new AttemptResult(false, true, null, null, 0, Clip(ex.Message)), null);
        }
        var (token, failure) = await TokenAsync(account, cancellationToken);
        if (failure is not null)
        {
            return (failure, null);
        }
        var url = new Uri(options.Value.Fcm.Endpoint, $"v1/projects/{Uri.EscapeDataString(account.ProjectId)}/messages:send");
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(Message(message)) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var ms = (int)watch.ElapsedMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                return (new AttemptResult(true, false, status, null, ms, null), (JsonNode.Parse(body)?["name"] as JsonValue)?.ToString());
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                _token = null; // renewed on the retry
            }
            var retry = status is 401 or 408 or 429 or >= 500;
            return (new AttemptResult(false, retry, status, retry ? WebhookSender.RetryAfter(response) : null, ms, $"HTTP {status}: {Clip(body)}"), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (new AttemptResult(false, true, null, null, (int)watch.ElapsedMilliseconds, Clip(ex.Message)), null);
        }
    }

    private static string Clip(string text)
    {
        text = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return text.Length > 400 ? text[..400] + "…" : text;
    }

    public void Dispose() => _tokenLock.Dispose();

    private sealed record Loaded(ServiceAccount Account, DateTime Written);
}
