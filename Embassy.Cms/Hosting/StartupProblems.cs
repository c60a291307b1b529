using Microsoft.Extensions.Options;

namespace Embassy.Cms.Hosting;

/// <summary>What stops the server from starting because of how it is configured (option validation, a role that does not
/// suit its database): each as one sentence that names the key. Anything else is a bug and keeps its stack trace.</summary>
internal static class StartupProblems
{
    public static IReadOnlyList<string> Of(Exception exception)
    {
        var problems = new List<string>();
        Collect(exception, problems);
        return problems;
    }

    private static void Collect(Exception? exception, List<string> problems)
    {
        switch (exception)
        {
            case null:
                return;
            case OptionsValidationException validation:
                problems.AddRange(validation.Failures.SelectMany(f => f.Split("; ", StringSplitOptions.RemoveEmptyEntries)).Distinct());
                return;
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    Collect(inner, problems);
                }
                return;
            case InvalidOperationException { Message: var message } when message.StartsWith("Embassy:", StringComparison.Ordinal):
                problems.Add(message);
                return;
            default:
                Collect(exception.InnerException, problems);
                return;
        }
    }
}
