using System.Diagnostics;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Tests;

/// <summary>
/// A mobile developer's view: Kiota (Microsoft's generator, a dotnet tool of this repository) generates a C# client
/// from the running server's /openapi/v1.json, and a program that uses only that client's typed builders and query
/// parameters (tests/tools/kiota-client) pages a list, reads a translation, syncs, runs a delta and gets a typed 400.
/// </summary>
public sealed class GeneratedClientTests
{
    [Fact]
    public async Task AGeneratedClient_PagesReadsTranslationsSyncsAndGetsTypedProblems()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, ApiTestSite.FastPolling));
        var work = TestSite.NewDataDirectory();
        var document = Path.Combine(work, "v1.json");
        using (var http = new HttpClient())
        {
            await File.WriteAllTextAsync(document, await http.GetStringAsync(site.Url("/openapi/v1.json")));
        }
        foreach (var file in new[] { "Program.cs", "KiotaClient.csproj" })
        {
            File.Copy(Path.Combine(Paths.RepositoryRoot, "tests", "tools", "kiota-client", file), Path.Combine(work, file));
        }

        await RunAsync("dotnet", ["kiota", "generate", "-l", "CSharp", "-d", document, "-o", Path.Combine(work, "Generated"), "-c", "EmbassyApi",
            "-n", "Embassy.Generated", "--log-level", "Error"], Paths.RepositoryRoot, TimeSpan.FromMinutes(3));
        await RunAsync("dotnet", ["build", Path.Combine(work, "KiotaClient.csproj"), "-o", Path.Combine(work, "out"), "--nologo", "-v", "quiet"],
            work, TimeSpan.FromMinutes(5));

        var info = new ProcessStartInfo("dotnet", [Path.Combine(work, "out", "KiotaClient.dll"), site.Address.ToString().TrimEnd('/')])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var program = Process.Start(info)!;
        var errors = program.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        async Task<string> LineAsync(string prefix)
        {
            while (await program.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
            throw new Xunit.Sdk.XunitException($"no {prefix} line: {string.Join('\n', lines)}\n{await errors}");
        }

        var published = await PublishedCountAsync(site, "News", "en");
        Assert.Equal($"LIST pages={published} items={published} distinct={published}", await LineAsync("LIST"));
        Assert.Matches("^ITEM asked=\\S+ culture=pl same=True summary=True$", await LineAsync("ITEM"));
        var sync = await LineAsync("SYNC");
        Assert.Matches("^SYNC pages=\\d+ items=(\\d+) typed=\\1 token=yes$", sync);

        await using (var scope = site.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem("Alert", new JsonObject
            {
                ["TitlePart"] = new JsonObject { ["Title"] = "Consulate closed today" },
                ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
                ["Alert"] = new JsonObject { ["Severity"] = new JsonObject { ["Text"] = "warning" } },
            }) { Publish = true }, default);
        }
        await program.StandardInput.WriteLineAsync();
        await program.StandardInput.FlushAsync();
        Assert.Equal("DELTA mode=Delta alert=Consulate closed today severity=warning", await LineAsync("DELTA"));
        Assert.Equal($"PROBLEM status=400 title={Embassy.Core.ProblemTitles.BadRequest} about=limit traceId=True", await LineAsync("PROBLEM"));
        await program.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(program.ExitCode == 0, await errors);
    }

    private static async Task<int> PublishedCountAsync(KestrelSite site, string type, string culture)
    {
        using var http = new HttpClient();
        var page = JsonNode.Parse(await http.GetStringAsync(site.Url($"/api/v1/content/{type}?culture={culture}&limit=100")))!;
        Assert.Null((string?)page["next"]);
        return page["items"]!.AsArray().Count;
    }

    private static async Task RunAsync(string file, string[] arguments, string directory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var (exit, output, error) = await TestVideos.RunAsync(info, timeout);
        Assert.True(exit == 0, $"{file} {string.Join(' ', arguments)}: {output}\n{error}");
    }
}
