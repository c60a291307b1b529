using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;

namespace Embassy.Testing;

/// <summary>
/// A real MariaDB server for tests: its own data directory under /tmp, a free loopback port, started
/// with mariadbd and stopped by its PID. Tests get a database and a user of their own on it.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    private readonly Process _process;

    private readonly string _config;

    private MariaDbServer(string directory, int port, Process process, string config)
    {
        _config = config;
        Directory_ = directory;
        Port = port;
        _process = process;
    }

    public string Directory_ { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public string SocketPath => Path.Combine(Directory_, "s");

    /// <summary>Root over the Unix socket (root has no TCP account), for administration only.</summary>
    public string RootConnectionString => $"Server={SocketPath};Protocol=Unix;User ID=root;Password=;Pooling=false";

    /// <param name="extraConfig">Further [mysqld] lines (replication settings, server_id, …).</param>
    public static async Task<MariaDbServer> StartAsync(string name, IEnumerable<string>? extraConfig = null, CancellationToken cancellationToken = default)
    {
        var mariadbd = FindExecutable("mariadbd", "/usr/sbin/mariadbd");
        var installDb = FindExecutable("mariadb-install-db", "/usr/bin/mariadb-install-db");
        RemoveStaleDirectories();
        // Short (a Unix socket path is limited to 107 bytes) whatever the PID's length; the PID is the fourth part (scripts/test).
        var directory = Path.Combine(Path.GetTempPath(), $"embassy-mariadb-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..Math.Min(60, 35 + name.Length)]);
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var config = Path.Combine(directory, "my.cnf");
        await File.WriteAllLinesAsync(config, new[]
        {
            "[mysqld]",
            "user=root",
            $"datadir={Path.Combine(directory, "data")}",
            $"socket={Path.Combine(directory, "s")}",
            $"pid-file={Path.Combine(directory, "mariadb.pid")}",
            $"log-error={Path.Combine(directory, "error.log")}",
            $"tmpdir={directory}",
            $"port={port}",
            "bind-address=127.0.0.1",
            "skip-name-resolve",
            "character-set-server=utf8mb4",
            "collation-server=utf8mb4_unicode_ci",
            "innodb_flush_log_at_trx_commit=2",
            "sync_binlog=0",
            "innodb_doublewrite=0",
            "innodb_buffer_pool_size=64M",
            "max_connections=300",
        }.Concat(extraConfig ?? []), cancellationToken);
        await RunAsync(installDb, $"--defaults-file={config} --user=root --skip-test-db --auth-root-authentication-method=normal", cancellationToken);
        var server = new MariaDbServer(directory, port, Launch(mariadbd, config), config);
        await server.WaitReadyAsync(cancellationToken);
        return server;
    }

    private static Process Launch(string mariadbd, string config)
    {
        var process = Process.Start(new ProcessStartInfo(mariadbd, $"--defaults-file={config}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mariadbd did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>kill -9, as a crash would (a drill).</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Starts a killed server again on the same data directory and port.</summary>
    public static async Task<MariaDbServer> RestartAsync(MariaDbServer killed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(killed);
        var server = new MariaDbServer(killed.Directory_, killed.Port, Launch(FindExecutable("mariadbd", "/usr/sbin/mariadbd"), killed._config), killed._config);
        await server.WaitReadyAsync(cancellationToken);
        return server;
    }

    /// <summary>Creates a database and a user with every privilege on it (and nothing else); returns that user's connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        var user = $"u_{database}";
        if (user.Length > 80)
        {
            throw new ArgumentException("database name too long", nameof(database));
        }
        const string password = "test-password";
        await ExecuteAsync($"""
            CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
            CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}';
            GRANT ALL PRIVILEGES ON `{database}`.* TO '{user}'@'127.0.0.1';
            """, cancellationToken);
        return ConnectionString(database, user, password);
    }

    public string ConnectionString(string database, string user, string password) =>
        $"Server=127.0.0.1;Port={Port};Database={database};User ID={user};Password={password};Connection Timeout=5";

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(RootConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(RootConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false); // SIGKILL of our own mariadbd, by PID: test data needs no clean shutdown.
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Directory_, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying server; /tmp is cleaned by the OS.
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mariadbd exited with {_process.ExitCode}: {ReadLog()}");
            }
            try
            {
                await ScalarAsync("SELECT 1", cancellationToken);
                return;
            }
            catch (MySqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private string ReadLog()
    {
        var log = Path.Combine(Directory_, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no error log)";
    }

    private static async Task RunAsync(string file, string arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await stdout} {await stderr}");
        }
    }

    private static string FindExecutable(string name, string fallback)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return File.Exists(fallback)
            ? fallback
            : throw new InvalidOperationException($"{name} is not installed: run scripts/test, which installs mariadb-server, or apt-get install mariadb-server.");
    }

    /// <summary>Directories left by test processes that no longer run (a crashed or killed test host).</summary>
    private static void RemoveStaleDirectories()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), "embassy-mariadb-*"))
        {
            var parts = Path.GetFileName(directory).Split('-');
            if (parts.Length > 3 && int.TryParse(parts[3], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // Still in use: leave it.
                }
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
