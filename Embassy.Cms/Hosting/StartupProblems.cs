using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Embassy.Cms.Hosting;

/// <summary>
/// What stops the server from starting because of its configuration, in words for the operator: every failure of an
/// option validated on start (each names its key), and the checks that name a key themselves ("Embassy:Role is Standby
/// but …", "Embassy:DataProtectionKeyFile: …"). Anything else is a fault, not a configuration, and keeps its stack trace.
/// </summary>
internal static partial class StartupProblems
{
    public static IReadOnlyList<string> Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OptionsValidationException options => options.Failures.Select(f => f.Trim()).Where(f => f.Length > 0).ToList(),
            AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Describe).ToList(),
            InvalidOperationException invalid when NamesAKey().IsMatch(invalid.Message) => [invalid.Message],
            _ => [],
        };
    }

    /// <summary>Under the tests' in-memory server the exception itself goes to the test that started the host.</summary>
    public static bool UnderTestServer(IServiceProvider services) =>
        services.GetService<IServer>()?.GetType().FullName == "Microsoft.AspNetCore.TestHost.TestServer";

    [System.Text.RegularExpressions.GeneratedRegex(@"^(Embassy|ConnectionStrings|Database|MobileApi|Logging)(:[A-Za-z0-9_]+)+\b")]
    private static partial System.Text.RegularExpressions.Regex NamesAKey();
}
