using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Embassy.Core;
using Embassy.Media;
using Embassy.Media.Data;
using Embassy.Media.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Cluster;

/// <summary>
/// The standby's copy of the media: every file in the (replicated) media index that is missing or
/// different here is pulled from the master's internal endpoint, its SHA-256 verified, written to a
/// staging file and renamed into place; files no longer indexed are removed. Failures back off and retry.
/// A copy that changes on disk (size or time) is not served and is fetched again; every
/// Embassy:Cluster:VerifyInterval all copies are hashed again, so silent corruption is replaced too.
/// </summary>
public sealed class MediaSync(
    IServiceScopeFactory scopes,
    IHttpClientFactory clients,
    IOptions<ClusterOptions> cluster,
    IOptions<EmbassyOptions> embassy,
    ILogger<MediaSync> logger) : BackgroundService, IMediaAvailability
{
    public const string SecretHeader = "X-Embassy-Sync-Secret";

    /// <summary>A copy as it was when its SHA-256 was last checked here.</summary>
    private sealed record Verified(string Sha256, long Size, DateTime WrittenUtc);

    /// <summary>Path → the copy verified here.</summary>
    private readonly ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);
    private DateTime _masterLastSeenUtc = DateTime.MinValue;
    private DateTime _nextFullVerificationUtc = DateTime.MinValue;

    /// <summary>Copies found corrupted (hash differs from the index) and fetched again since start.</summary>
    public int Repaired { get; private set; }

    public int Backlog { get; private set; }

    public DateTime MasterLastSeenUtc => _masterLastSeenUtc;

    public string? LastError { get; private set; }

    public bool IsCurrent(MediaFileRecord file, string fullPath)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!_verified.TryGetValue(file.Path, out var verified) || verified.Sha256 != file.Sha256)
        {
            return false;
        }
        var info = new FileInfo(fullPath);
        return info.Exists && info.Length == verified.Size && info.LastWriteTimeUtc == verified.WrittenUtc;
    }

    public IResult NotYetHere(MediaFileRecord file, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(http);
        if (DateTime.UtcNow - _masterLastSeenUtc < cluster.Value.MasterLostAfter && cluster.Value.MasterUrl is { } master)
        {
            // The master has it: send the player there until the copy arrives (same bytes, same ETag).
            return TypedResults.Redirect(new Uri(master, http.Request.Path + http.Request.QueryString).ToString());
        }
        http.Response.Headers.RetryAfter = "10";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: Embassy.Core.ProblemTitles.Unavailable,
            detail: "This file has not reached this server yet and the master cannot be reached; retry shortly.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (embassy.Value.Role != ServerRole.Standby)
        {
            return;
        }
        var delay = cluster.Value.SyncInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncOnceAsync(stoppingToken);
                LastError = null;
                delay = cluster.Value.SyncInterval;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // One line per failure while it lasts (the stack trace once, at debug level): a master that is away for an
                // hour must not fill the journal.
                if (LastError != ex.Message)
                {
                    Log.SyncFailed(logger, ex.Message);
                    Log.SyncFailedDetail(logger, ex);
                }
                LastError = ex.Message;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks)); // back off
            }
            await Task.Delay(delay, stoppingToken);
        }
    }

    public async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        List<MediaFileRecord> index;
        await using (var scope = scopes.CreateAsyncScope())
        {
            // The media module's index, through its store (every file, packaged video outputs included).
            index = await scope.ServiceProvider.GetRequiredService<Embassy.Media.Services.MediaStore>().Listing(null, includePackaged: true).ToListAsync(cancellationToken);
        }
        var root = embassy.Value.MediaDirectory;
        var wanted = index.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var missing = new List<MediaFileRecord>();
        var fullVerification = DateTime.UtcNow >= _nextFullVerificationUtc;
        foreach (var file in index)
        {
            var full = Path.Combine(root, file.Path);
            if (!fullVerification && IsCurrent(file, full))
            {
                continue;
            }
            var info = new FileInfo(full);
            if (info.Exists && info.Length == file.Size && await HashAsync(full, cancellationToken) == file.Sha256)
            {
                _verified[file.Path] = new Verified(file.Sha256, info.Length, info.LastWriteTimeUtc); // already here (e.g. after a restart)
                continue;
            }
            if (info.Exists && _verified.TryRemove(file.Path, out _))
            {
                Repaired++;
                Log.Corrupted(logger, file.Path);
            }
            missing.Add(file);
        }
        if (fullVerification)
        {
            _nextFullVerificationUtc = DateTime.UtcNow + cluster.Value.VerifyInterval;
        }
        Backlog = missing.Count;
        foreach (var file in missing)
        {
            await FetchAsync(file, cancellationToken);
            Backlog--;
        }
        foreach (var path in _verified.Keys.Where(p => !wanted.ContainsKey(p)).ToList())
        {
            _verified.TryRemove(path, out _);
            File.Delete(Path.Combine(root, path)); // deleted on the master
        }
        await PingMasterAsync(cancellationToken);
    }

    private async Task FetchAsync(MediaFileRecord file, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(nameof(MediaSync));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.Value.MasterUrl!, "/internal/media/" + EscapePath(file.Path)));
        request.Headers.Add(SecretHeader, cluster.Value.SyncSecret);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return; // replaced or deleted on the master since the index was read: the next pass sees the new row
        }
        response.EnsureSuccessStatusCode();
        _masterLastSeenUtc = DateTime.UtcNow;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<MediaStore>();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var staged = await store.StageAsync(body, file.Size, cancellationToken);
        if (staged.Sha256 != file.Sha256 || staged.Size != file.Size)
        {
            MediaStore.Discard(staged);
            throw new InvalidDataException($"{file.Path}: the master sent bytes whose SHA-256 is not the indexed one (replaced meanwhile?); will retry");
        }
        store.Place(staged, file.Path);
        var placed = new FileInfo(Path.Combine(embassy.Value.MediaDirectory, file.Path));
        _verified[file.Path] = new Verified(file.Sha256, placed.Length, placed.LastWriteTimeUtc);
        Log.Synced(logger, file.Path, file.Size);
    }

    private async Task PingMasterAsync(CancellationToken cancellationToken)
    {
        try
        {
            var client = clients.CreateClient(nameof(MediaSync));
            using var response = await client.GetAsync(new Uri(cluster.Value.MasterUrl!, "/health/live"), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                _masterLastSeenUtc = DateTime.UtcNow;
            }
        }
        catch (HttpRequestException)
        {
            // The master is away: files not yet here get 503 instead of a redirect.
        }
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static async Task<string> HashAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
