using System.Diagnostics;

namespace Embassy.Cms.Setup;

/// <summary>
/// First-run setup in a child process: the server's own executable with <c>setup</c> before its arguments, the same
/// environment, folder and console (so a generated password is shown, or kept in a private file, exactly as in-process).
/// </summary>
internal static partial class SetupProcess
{
    /// <summary>Only when this process is the server itself (not a test host that loaded it).</summary>
    public static bool CanStart => System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "Embassy.Cms" && Environment.ProcessPath is not null;

    public static async Task RunAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var host = Environment.ProcessPath!;
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            arguments.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location); // dotnet Embassy.Cms.dll
        }
        arguments.Add(Cli.CommandLine.SetupCommand);
        arguments.AddRange(Environment.GetCommandLineArgs().Skip(1));
        var started = Stopwatch.StartNew();
        LogStarting(logger);
        using var child = Process.Start(new ProcessStartInfo(host, arguments) { UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory })
            ?? throw new InvalidOperationException($"First-run setup could not start {host}.");
        try
        {
            await child.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"First-run setup failed (exit code {child.ExitCode}); its messages are above. Nothing is served until it succeeds.");
        }
        LogDone(logger, started.Elapsed.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "First run: setting the site up in a child process (Embassy.Cms setup)")]
    private static partial void LogStarting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "First-run setup done in {Seconds:0.0} s")]
    private static partial void LogDone(ILogger logger, double seconds);
}
