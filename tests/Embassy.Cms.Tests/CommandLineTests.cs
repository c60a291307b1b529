using System.Diagnostics;
using Embassy.Testing;

namespace Embassy.Cms.Tests;

/// <summary>The built binary, run as an operator runs it.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task SearchRebuild_ShowsProgress_AndWritesANewCurrentIndex()
    {
        var data = TestSite.NewDataDirectory();
        var (exit, _, stderr) = await CmsProcess.RunAsync(data, "search", "rebuild");
        Assert.NotEqual(0, exit); // no database yet: said, not a crash
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await CmsProcess.RunAsync(data, "setup")).ExitCode);
        (exit, var stdout, stderr) = await CmsProcess.RunAsync(data, "search", "rebuild");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("Loading the analyzers (Polish stemming: hunspell)", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Search index rebuilt: \d+ items in", stdout);
        var first = await File.ReadAllTextAsync(Path.Combine(data, "search", "current"));
        Assert.Equal(0, (await CmsProcess.RunAsync(data, "search", "rebuild")).ExitCode);
        Assert.NotEqual(first, await File.ReadAllTextAsync(Path.Combine(data, "search", "current"))); // a new generation each time
    }

    [Fact]
    public async Task WebhooksSecret_PrintsANewStandardWebhooksSecret()
    {
        var data = TestSite.NewDataDirectory();
        var (exit, stdout, _) = await CmsProcess.RunAsync(data, "webhooks", "secret");
        Assert.Equal(0, exit);
        var secret = stdout.Trim();
        Assert.NotNull(Embassy.Notifications.Webhooks.WebhookSigning.Key(secret));
        Assert.NotEqual(secret, (await CmsProcess.RunAsync(data, "webhooks", "secret")).Stdout.Trim());
        Assert.Equal(2, (await CmsProcess.RunAsync(data, "webhooks", "rotate")).ExitCode);
    }

    [Fact]
    public async Task RecipesImport_PrintsEachStep_AndExitsZero()
    {
        var data = TestSite.NewDataDirectory();
        var blog = Path.Combine(Paths.OrchardRecipes, "TheBlogTheme", "Recipes", "blog.recipe.json");
        var (exit, stdout, stderr) = await CmsProcess.RunAsync(data, "recipes", "import", blog);
        Assert.True(exit == 0, stderr);
        Assert.Contains("[5] content", stdout, StringComparison.Ordinal);
        Assert.Contains("7 content items: 7 created", stdout, StringComparison.Ordinal);
        Assert.Contains("[6] media", stdout, StringComparison.Ordinal);
        Assert.Contains("skipped: themes and templates", stdout, StringComparison.Ordinal);
        Assert.Contains("Imported 'Blog': 7 steps applied, 4 skipped", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "media", "home-bg.jpg")));

        (exit, stdout, _) = await CmsProcess.RunAsync(data, "recipes", "import", blog);
        Assert.Equal(0, exit);
        Assert.Contains("7 content items: 0 created, 0 updated, 7 unchanged", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecipesImport_OfABadRecipe_ExitsNonZero_WithTheStepInTheMessage()
    {
        var data = TestSite.NewDataDirectory();
        var recipe = Path.Combine(data, "bad.recipe.json");
        await File.WriteAllTextAsync(recipe, """{ "steps": [ { "name": "content", "data": [ { "ContentType": "Nope" } ] } ] }""");
        var (exit, _, stderr) = await CmsProcess.RunAsync(data, "recipes", "import", recipe);
        Assert.Equal(1, exit);
        Assert.Contains("error: step 0 'content': Data[0] (Nope ): content type 'Nope' is not defined", stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await CmsProcess.RunAsync(data, "recipes", "import", Path.Combine(data, "missing.json"));
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await CmsProcess.RunAsync(data, "recipes", "export");
        Assert.Equal(2, exit);
        Assert.Contains("usage: Embassy.Cms recipes import FILE", stderr, StringComparison.Ordinal);
    }

    /// <summary>Security finding 14: the generated password reached the journal. Without a terminal (as under systemd,
    /// and here), it goes to a file only the server's user can read; standard output names the file, not the password.</summary>
    [Fact]
    public async Task FirstRun_WithoutATerminal_WritesTheGeneratedPasswordToAPrivateFile_NeverToTheOutput()
    {
        var data = TestSite.NewDataDirectory();
        var first = await RunServerUntilListeningAsync(data);
        var file = Path.Combine(data, "initial-admin-password.txt");
        Assert.Contains($"the password is in {file}", first, StringComparison.Ordinal);
        var written = await File.ReadAllTextAsync(file);
        Assert.Contains("Administrator: admin", written, StringComparison.Ordinal);
        var password = System.Text.RegularExpressions.Regex.Match(written, @"Password: ([A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5})").Groups[1].Value;
        Assert.NotEmpty(password);
        Assert.DoesNotContain(password, first, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        File.Delete(file);
        var second = await RunServerUntilListeningAsync(data);
        Assert.DoesNotContain("password", second, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(file));
    }

    /// <summary>First-run setup runs in a child process (Embassy.Cms setup) so the server does not keep what it loads;
    /// when it fails, the server does not start, says why, and the next start sets the site up.</summary>
    [Fact]
    public async Task FirstRun_SetsUpInAChildProcess_AndAFailedSetupKeepsTheServerFromStarting()
    {
        var data = TestSite.NewDataDirectory();
        var info = CmsProcess.StartInfo(data, "--urls", "http://127.0.0.1:0");
        info.Environment["Embassy__Setup__Recipe"] = Path.Combine(data, "missing.recipe.json");
        var (exit, stdout, stderr) = await TestVideos.RunAsync(info, TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.Contains("missing.recipe.json", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("First-run setup failed", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", stdout, StringComparison.Ordinal);

        var output = await RunServerUntilListeningAsync(data);
        Assert.Contains("setting the site up in a child process", output, StringComparison.Ordinal);
        Assert.Contains("First-run setup done", output, StringComparison.Ordinal);
        Assert.DoesNotContain("child process", await RunServerUntilListeningAsync(data), StringComparison.Ordinal); // set up: no child
    }

    /// <summary>Issue #31, item 3: a configuration the server cannot run with stops it with one line per problem, naming
    /// the key, and exit status 1 — not an unhandled-exception dump and SIGABRT (134).</summary>
    [Theory]
    [InlineData("Embassy__Webhooks__Endpoints__0__Url", "http://example.org/hook", "Embassy:Webhooks")]
    [InlineData("Embassy__Security__SignInAttemptsPerMinute", "0", "SignInAttemptsPerMinute")]
    [InlineData("Embassy__Webhooks__Endpoints__0__Events__0", "content.published", "Embassy:Webhooks:Endpoints")] // a list where text is read: was silently skipped
    [InlineData("Embassy__DataProtectionKeyFile", "BADKEY", "Embassy:DataProtectionKeyFile")]
    public async Task AConfigurationError_IsOneLineNamingTheKey_AndExitStatus1(string key, string value, string named)
    {
        var data = TestSite.NewDataDirectory();
        var info = CmsProcess.StartInfo(data, "--urls", "http://127.0.0.1:0");
        if (value == "BADKEY")
        {
            value = Path.Combine(data, "not-a-key");
            File.WriteAllText(value, "this is not a key\n");
        }
        info.Environment[key] = value;
        var (exit, stdout, stderr) = await TestVideos.RunAsync(info, TimeSpan.FromSeconds(60));
        Assert.True(exit == 1, $"exit {exit}: {stdout}{stderr}");
        var errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(errors, l => l.StartsWith("embassy: configuration error:", StringComparison.Ordinal));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Unhandled exception", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", stdout, StringComparison.Ordinal);
    }

    private static async Task<string> RunServerUntilListeningAsync(string data)
    {
        var info = CmsProcess.StartInfo(data, "--urls", "http://127.0.0.1:0");
        using var process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        process.Kill();
        await process.WaitForExitAsync();
        lock (output)
        {
            return output.ToString();
        }
    }
}
