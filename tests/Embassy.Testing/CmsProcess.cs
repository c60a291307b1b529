using System.Diagnostics;

namespace Embassy.Testing;

/// <summary>The built Embassy.Cms binary run as a real process, as an operator runs it.</summary>
public static class CmsProcess
{
    public static string BinaryDirectory
    {
        get
        {
            // Same configuration (Debug/Release) as the tests themselves.
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return Path.Combine(Paths.RepositoryRoot, "Embassy.Cms", "bin", configuration, "net10.0");
        }
    }

    public static ProcessStartInfo StartInfo(string dataDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = BinaryDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(BinaryDirectory, "Embassy.Cms.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["Embassy__DataDirectory"] = dataDirectory;
        info.Environment["Embassy__DataProtectionKeyFile"] = TestSite.SharedDataProtectionKeyFile;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment.Remove("PWD");
        return info;
    }

    /// <summary>Runs to completion (at most 60 s); returns exit code and output.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dataDirectory, params string[] arguments) =>
        TestVideos.RunAsync(StartInfo(dataDirectory, arguments), TimeSpan.FromSeconds(60));
}
