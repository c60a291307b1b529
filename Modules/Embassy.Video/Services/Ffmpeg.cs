using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Embassy.Video.Services;

public sealed record ProbeResult(double? DurationSeconds, int? Width, int? Height, string? VideoCodec, string? AudioCodec);

/// <summary>ffprobe and ffmpeg as child processes: arguments as a list (no shell), a timeout, progress from -progress.</summary>
public sealed class Ffmpeg(IOptions<VideoOptions> options)
{
    public async Task<ProbeResult> ProbeAsync(string file, CancellationToken cancellationToken)
    {
        var (_, stdout) = await RunAsync(options.Value.FfprobePath,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file], null, cancellationToken);
        using var json = JsonDocument.Parse(stdout);
        var streams = json.RootElement.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => x.GetProperty("codec_type").GetString() == "video");
        var audio = streams.FirstOrDefault(x => x.GetProperty("codec_type").GetString() == "audio");
        double? duration = json.RootElement.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var d) &&
                           double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        return new ProbeResult(duration,
            video.ValueKind == JsonValueKind.Object && video.TryGetProperty("width", out var w) ? w.GetInt32() : null,
            video.ValueKind == JsonValueKind.Object && video.TryGetProperty("height", out var h) ? h.GetInt32() : null,
            video.ValueKind == JsonValueKind.Object ? video.GetProperty("codec_name").GetString() : null,
            audio.ValueKind == JsonValueKind.Object ? audio.GetProperty("codec_name").GetString() : null);
    }

    /// <summary>Runs ffmpeg; <paramref name="progressSeconds"/> is told how far (in media seconds) it got.</summary>
    public Task RunFfmpegAsync(IReadOnlyList<string> arguments, Action<double>? progressSeconds, CancellationToken cancellationToken) =>
        RunAsync(options.Value.FfmpegPath, ["-hide_banner", "-nostdin", "-loglevel", "error", .. arguments], progressSeconds, cancellationToken);

    private static async Task<(int ExitCode, string Stdout)> RunAsync(string executable, IReadOnlyList<string> arguments, Action<double>? progress,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            if (progress is not null && e.Data.StartsWith("out_time_us=", StringComparison.Ordinal) &&
                long.TryParse(e.Data.AsSpan(12), NumberStyles.Integer, CultureInfo.InvariantCulture, out var us))
            {
                progress(us / 1_000_000.0);
            }
            else if (progress is null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new VideoProcessingException($"{executable} could not be started ({ex.Message}); install ffmpeg or set Embassy:Video:FfmpegPath.", ex);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        process.WaitForExit(); // drains the output events
        if (process.ExitCode != 0)
        {
            var message = stderr.ToString().Trim();
            throw new VideoProcessingException($"{Path.GetFileName(executable)} exited with {process.ExitCode}: " +
                                               (message.Length > 2000 ? message[^2000..] : message));
        }
        return (process.ExitCode, stdout.ToString());
    }
}

public sealed class VideoProcessingException : Exception
{
    public VideoProcessingException() { }

    public VideoProcessingException(string message) : base(message) { }

    public VideoProcessingException(string message, Exception innerException) : base(message, innerException) { }
}
