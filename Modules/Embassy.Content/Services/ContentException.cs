namespace Embassy.Content.Services;

/// <summary>Input that the content core refuses: every problem, each with where it is.</summary>
public sealed class ContentValidationException(IReadOnlyList<string> errors)
    : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;

    public ContentValidationException(string error) : this([error]) { }

    public ContentValidationException() : this([]) { }

    public ContentValidationException(string message, Exception innerException) : this([message]) =>
        _ = innerException;
}

/// <summary>The caller may not do this to content of this type (a right the content core checks on every path).</summary>
public sealed class ContentForbiddenException : Exception
{
    public ContentForbiddenException(string message) : base(message) { }

    public ContentForbiddenException() { }

    public ContentForbiddenException(string message, Exception innerException) : base(message, innerException) { }
}
