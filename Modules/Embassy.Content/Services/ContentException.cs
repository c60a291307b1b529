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

/// <summary>The item was saved by someone else after the caller read it (optimistic concurrency): nothing was written.
/// <see cref="Current"/> is the item as it is now, for showing what changed.</summary>
public sealed class ContentConflictException : Exception
{
    public ContentConflictException(Embassy.Content.Models.ContentItem current)
        : base($"content item {current?.ContentItemId} was saved by {current?.Author ?? "someone"} at {current?.ModifiedUtc:u} after it was read") =>
        Current = current;

    public ContentConflictException() { }

    public ContentConflictException(string message) : base(message) { }

    public ContentConflictException(string message, Exception innerException) : base(message, innerException) { }

    public Embassy.Content.Models.ContentItem? Current { get; }
}
