namespace Embassy.Testing;

public enum TestDatabase
{
    Sqlite,
    MariaDb,
}

/// <summary>One MariaDB server per test process, started on first use and stopped by PID when the process exits.</summary>
public static class SharedMariaDb
{
    private static readonly Lazy<Task<MariaDbServer>> Server = new(async () =>
    {
        var server = await MariaDbServer.StartAsync("shared");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    });

    private static int _counter;

    public static Task<MariaDbServer> GetAsync() => Server.Value;

    /// <summary>A new database and user for one test site; returns its connection string.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var server = await GetAsync();
        return await server.CreateDatabaseAsync($"t{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}");
    }
}
