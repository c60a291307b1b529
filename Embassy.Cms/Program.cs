using Embassy.Cms;
using Embassy.Cms.Cli;
using Embassy.Content;
using Embassy.Core;
using Embassy.Data;
using Embassy.Media;
using Embassy.MobileApi;
using Embassy.Recipes;

var builder = WebApplication.CreateBuilder(args);
builder.AddRoleConfiguration();
builder.AddEmbassyCore();
builder.AddEmbassyDatabase();
builder.AddEmbassyIdentity();
builder.AddRecipesModule();
builder.AddContentModule();
builder.AddMediaModule();
builder.AddMobileApiModule();
builder.AddHostServices();

if (CommandLine.IsCommand(args))
{
    // The command prints its own progress; only problems should be logged beside it.
    builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
    using var host = builder.Build();
    return await CommandLine.RunAsync(host, args);
}

var app = builder.Build();
await app.InitializeAsync();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMobileApi();
app.MapHealth();
app.MapContentApi();
app.MapMobileApi();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
