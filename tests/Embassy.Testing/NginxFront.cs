using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Embassy.Testing;

/// <summary>
/// Debian's nginx with the repository's front configuration (deploy/nginx/embassy-front.conf, its placeholders filled)
/// in front of a running app, on a free loopback port, in a private directory (its pid, logs, temp files and cache);
/// stopped by its PID when disposed.
/// </summary>
public sealed class NginxFront : IDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _directory;

    private NginxFront(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public string Url(string path) => new Uri(Address, path).ToString();

    /// <summary>The front's error log, for a failing test's message.</summary>
    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    /// <summary>Starts the front before <paramref name="app"/>, sending files from <paramref name="mediaDirectory"/> and
    /// <paramref name="derivativesDirectory"/> (the app's; none when null), with the limits of
    /// deploy/nginx/front-limits.env but those in <paramref name="limits"/>.</summary>
    public static async Task<NginxFront> StartAsync(Uri app, string? mediaDirectory = null, string? derivativesDirectory = null,
        IReadOnlyDictionary<string, string>? limits = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var directory = Path.Combine(Path.GetTempPath(), "embassy-front-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "cache")); // nginx makes the cache's own folders, not their parent
        var port = FreePort();
        var values = new Dictionary<string, string>
        {
            ["LISTEN"] = $"127.0.0.1:{port}",
            ["APP"] = $"127.0.0.1:{app.Port}",
            ["CACHE_DIR"] = Path.Combine(directory, "cache"),
            ["MEDIA_DIR"] = mediaDirectory ?? Path.Combine(directory, "no-media"),
            ["DERIVATIVES_DIR"] = derivativesDirectory ?? Path.Combine(directory, "no-derivatives"),
        };
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(Paths.RepositoryRoot, "deploy/nginx/front-limits.env")))
        {
            if (line.Split('=', 2) is [var name, var value] && !name.StartsWith('#'))
            {
                values[name.Trim()] = limits?.GetValueOrDefault(name.Trim()) ?? value.Trim();
            }
        }
        var front = await File.ReadAllTextAsync(Path.Combine(Paths.RepositoryRoot, "deploy/nginx/embassy-front.conf"));
        foreach (var (name, value) in values)
        {
            front = front.Replace("@" + name + "@", value, StringComparison.Ordinal);
        }
        if (front.Contains('@', StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.Match(front, "@[A-Z_]+@") is { Success: true } left)
        {
            throw new InvalidOperationException($"embassy-front.conf has a placeholder nothing fills: {left.Value}");
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "front.conf"), front);
        // The main context a Debian server has in /etc/nginx/nginx.conf, made private to this directory.
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            daemon off;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{directory}}/front.conf;
            }
            """);
        var info = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // Under faketime (the suite's run in 2031), libfaketime starts each new process's clock at FAKETIME again: nginx
        // would be behind this process by as long as the run has lasted, and keep the app's answers that much past the
        // absolute second of their X-Accel-Expires. In production both read the machine's one clock; here nginx starts
        // at this process's time.
        if (Environment.GetEnvironmentVariable("FAKETIME") is { } faked && faked.StartsWith('@'))
        {
            info.Environment["FAKETIME"] = "@" + DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start");
        var started = new NginxFront(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                var log = started.ErrorLog + await process.StandardError.ReadToEndAsync();
                started.Dispose();
                throw new InvalidOperationException("nginx stopped at start: " + log);
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return started;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        started.Dispose();
        throw new TimeoutException("nginx did not listen within 5 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a worker still closing a cache file: the directory is under /tmp and named by this process
        }
    }
}
