using Embassy.Admin;
using Embassy.Admin.Localization;
using Embassy.Cluster;
using Embassy.Cms;
using Embassy.Cms.Cli;
using Embassy.Cms.Hosting;
using Embassy.Content;
using Embassy.Core;
using Embassy.Data;
using Embassy.Media;
using Embassy.MobileApi;
using Embassy.Recipes;
using Embassy.Video;
using Microsoft.Extensions.Options;

RuntimeTuning.Apply();
var builder = WebApplication.CreateBuilder(args);
builder.AddEmbassyServer(); // the module list: EmbassyModules

if (CommandLine.IsCommand(args))
{
    // The command prints its own progress; only problems should be logged beside it.
    builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
    using var host = builder.Build();
    return await CommandLine.RunAsync(host, args);
}

// The host's own "failed to start" entry repeats the exception's stack trace.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
var app = builder.Build();
try
{
    // Every option that is validated on start, before first-run setup or migrations touch anything.
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    app.Services.GetRequiredService<DataProtectionKeyFile>(); // read (or, on a master, made) now: a bad file stops the start here
    await app.InitializeAsync();
}
catch (Exception ex) when (StartupProblems.Describe(ex) is { Count: > 0 } problems && !StartupProblems.UnderTestServer(app.Services))
{
    // A configuration the server cannot run with: one line per problem, naming the key, and exit status 1 (no stack trace).
    foreach (var problem in problems)
    {
        Console.Error.WriteLine($"embassy: configuration error: {problem}");
    }
    return 1;
}
app.UseSecurityHeaders(); // CSP, nosniff, Referrer-Policy on every response (ASVS V3.4)
app.UseProxy();
var isMaster = app.Services.GetRequiredService<IOptions<EmbassyOptions>>().IsMaster();
app.UseExceptionHandler();
app.UseTls();
// /media: the per-address limit, then derivatives held in memory answered ahead of routing — before the status pages,
// which cost every request a feature and a dictionary and have nothing to add to an answer that has its body.
app.UseMedia();
app.UseStatusCodePages();
if (isMaster)
{
    app.UseAdminStatusPages();
}
app.UseHeadAsGet("/media"); // HEAD wherever GET is; /media answers HEAD itself (ranges)
app.UseRouting();
app.UseClusterMetrics();
if (isMaster)
{
    app.UseWriterGuard(); // no write reaches a module while this server takes none (ADR 0012)
}
app.UseMobileApi();
app.UseAdmin();
app.MapCluster(isMaster);
app.MapContentApi();
app.MapMobileApi();
app.MapMedia();
app.MapRootPage(isMaster);
if (isMaster)
{
    // Writes exist on the master only: on the standby these routes are not mapped at all (404).
    app.MapAdminSession();
    app.MapAdminEditor();
    app.MapCmiLanguage();
    app.MapRazorPages(); // the CMI under /admin
    app.MapMediaUploads();
    app.MapVideoAdmin();
    app.MapAdminApiDocument();
}
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
