using System.Diagnostics;

namespace Embassy.Testing;

/// <summary>Test videos made by ffmpeg when a test needs them (no binary fixtures in the repository).</summary>
public static class TestVideos
{
    private static readonly Lazy<Task<string>> Sixty = new(() => MakeAsync(60, 640, 360, "2M"));

    /// <summary>60 s of H.264/AAC at about 2 Mbit/s (~15 MB), made once per test run.</summary>
    public static Task<string> SixtySecondsAsync() => Sixty.Value;

    public static async Task<string> MakeAsync(int seconds, int width, int height, string bitrate)
    {
        var file = Path.Combine(Path.GetTempPath(), $"embassy-test-{seconds}s-{width}x{height}-{bitrate}-{Environment.ProcessId}.mp4");
        if (File.Exists(file))
        {
            return file;
        }
        var (exit, _, stderr) = await RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=duration={seconds}:size={width}x{height}:rate=25",
            "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate, "-g", "50",
            "-c:a", "aac", "-b:a", "96k", "-shortest", "-movflags", "+faststart", file);
        return exit == 0 ? file : throw new InvalidOperationException($"ffmpeg could not make a test video: {stderr}");
    }

    /// <summary>Runs a program (ffmpeg, ffprobe, bash) to completion, at most 3 minutes.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return RunAsync(info, TimeSpan.FromMinutes(3));
    }

    /// <summary>Runs a process to completion within <paramref name="timeout"/> (killed past it); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
