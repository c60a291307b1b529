using System.Net;

namespace Embassy.Client;

/// <summary>
/// The app's server policy as an <see cref="HttpMessageHandler"/>: requests are sent with relative URIs
/// (or to <see cref="PlaceholderBase"/>) and go to the chosen server. The first request of a run, or one
/// after the choice is an hour old, chooses a server at random, each with the same chance (50/50 with the design's
/// two). When the chosen server does not answer within 3 seconds (connection or response headers), refuses the
/// connection, or answers 5xx, an idempotent request (GET, HEAD, OPTIONS) is sent once to another server (the other
/// of two; with more, one of the rest at random), which becomes the choice.
/// So is one whose body (up to <see cref="ServerPolicyOptions.BufferLimitBytes"/>) is cut off: a server killed
/// in the middle of a response.
/// A server that answered 503 with Retry-After is avoided for that long. Other requests are not retried.
/// </summary>
public sealed class FailoverHandler : DelegatingHandler
{
    /// <summary>The base address to give the HttpClient; the handler replaces it with the chosen server.</summary>
    public static readonly Uri PlaceholderBase = new("http://embassy.invalid/");

    private readonly ServerPolicyOptions _options;
    private readonly IServerChoiceStore _store;
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly Guid _runId = Guid.NewGuid();
    private readonly DateTimeOffset[] _avoidUntil;
    private readonly Lock _lock = new();

    /// <summary>Creates the handler; <paramref name="random"/> and <paramref name="clock"/> are for tests.</summary>
    public FailoverHandler(ServerPolicyOptions options, IServerChoiceStore? store = null, TimeProvider? clock = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _store = store ?? new InMemoryServerChoiceStore();
        _clock = clock ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _avoidUntil = new DateTimeOffset[options.Servers.Count];
    }

    /// <summary>The server requests go to now (chooses one if there is no valid choice).</summary>
    public Uri CurrentServer => _options.Servers[Choose()];

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var first = Choose();
        var retryable = IsIdempotent(request.Method);
        var (response, error) = await TryAsync(request, first, retryable, cancellationToken);
        if (!Failed(response, error) || !retryable)
        {
            return response ?? throw error!;
        }
        Avoid(first, response);
        var other = Another(first);
        Switch(other);
        response?.Dispose();
        using var retry = await CloneAsync(request, cancellationToken);
        var (second, secondError) = await TryAsync(retry, other, retryable, cancellationToken);
        if (Failed(second, secondError))
        {
            Avoid(other, second);
        }
        return second ?? throw secondError!;
    }

    private async Task<(HttpResponseMessage? Response, Exception? Error)> TryAsync(HttpRequestMessage request, int server, bool retryable,
        CancellationToken cancellationToken)
    {
        request.RequestUri = Resolve(request.RequestUri, _options.Servers[server]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            var response = await base.SendAsync(request, timeout.Token);
            if (retryable && (int)response.StatusCode < 500 && Bufferable(response.Content))
            {
                try
                {
                    // Read here, where a cut-off body can still go to the other server (not under the 3 s limit,
                    // which is for answering: a failing server ends the body with an error at once).
                    await response.Content.LoadIntoBufferAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException)
                {
                    response.Dispose();
                    return (null, new HttpRequestException($"{_options.Servers[server]} failed in the middle of the response: {ex.Message}", ex));
                }
            }
            return (response, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new TimeoutException($"{_options.Servers[server]} did not answer within {_options.Timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException ex)
        {
            return (null, ex);
        }
    }

    private static bool Failed(HttpResponseMessage? response, Exception? error) =>
        error is not null || (int)response!.StatusCode >= 500;

    private int Choose()
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            var choice = _store.Load();
            if (choice is null || choice.RunId != _runId || now - choice.ChosenAt >= _options.ChoiceLifetime || choice.Index >= _avoidUntil.Length)
            {
                var index = _random.Next(_avoidUntil.Length);
                // A server known to be away (Retry-After) is not chosen while another is not.
                if (_avoidUntil[index] > now)
                {
                    index = Another(index, now, orElse: index);
                }
                choice = new ServerChoice(index, now, _runId);
                _store.Save(choice);
            }
            else if (_avoidUntil[choice.Index] > now && Another(choice.Index, now, orElse: -1) is var away and >= 0)
            {
                choice = new ServerChoice(away, now, _runId);
                _store.Save(choice);
            }
            return choice.Index;
        }
    }

    /// <summary>A server other than <paramref name="server"/> for the one retry: at random among those not avoided now,
    /// or among all the others when every one is (the other of two).</summary>
    private int Another(int server)
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            return Another(server, now, orElse: -1) is var free and >= 0 ? free : Pick(Enumerable.Range(0, _avoidUntil.Length).Where(i => i != server).ToList());
        }
    }

    /// <summary>At random, one of the servers but <paramref name="server"/> not avoided at <paramref name="now"/>; else
    /// <paramref name="orElse"/>. Called under the lock.</summary>
    private int Another(int server, DateTimeOffset now, int orElse)
    {
        var free = Enumerable.Range(0, _avoidUntil.Length).Where(i => i != server && _avoidUntil[i] <= now).ToList();
        return free.Count == 0 ? orElse : Pick(free);
    }

    private int Pick(List<int> servers) => servers.Count == 1 ? servers[0] : servers[_random.Next(servers.Count)];

    private void Switch(int index)
    {
        lock (_lock)
        {
            _store.Save(new ServerChoice(index, _clock.GetUtcNow(), _runId));
        }
    }

    private void Avoid(int server, HttpResponseMessage? response)
    {
        if (response?.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is { } retryAfter)
        {
            var now = _clock.GetUtcNow();
            var until = retryAfter.Date ?? now + (retryAfter.Delta ?? TimeSpan.Zero);
            lock (_lock)
            {
                _avoidUntil[server] = until - now > _options.MaxRetryAfter ? now + _options.MaxRetryAfter : until;
            }
        }
    }

    private bool Bufferable(HttpContent content) =>
        content.Headers.ContentLength is { } length ? length <= _options.BufferLimitBytes : content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsIdempotent(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options;

    private static Uri Resolve(Uri? requestUri, Uri server)
    {
        if (requestUri is null)
        {
            return server;
        }
        if (!requestUri.IsAbsoluteUri)
        {
            return new Uri(server, requestUri);
        }
        return new Uri(server, requestUri.PathAndQuery);
    }

    private static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        if (request.Content is not null)
        {
            var bytes = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            clone.Content = new ByteArrayContent(bytes);
            foreach (var header in request.Content.Headers)
            {
                clone.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
        foreach (var option in request.Options)
        {
            clone.Options.TryAdd(option.Key, option.Value);
        }
        return clone;
    }
}
