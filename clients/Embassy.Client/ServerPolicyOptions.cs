namespace Embassy.Client;

/// <summary>The app's server policy, as the original design states it.</summary>
public sealed class ServerPolicyOptions
{
    /// <summary>The servers: the master and its standbys, in any order (two in the original design; up to
    /// <see cref="MaxServers"/>). Each is chosen with the same chance.</summary>
    public required IReadOnlyList<Uri> Servers { get; init; }

    /// <summary>The most servers a policy takes.</summary>
    public const int MaxServers = 16;

    /// <summary>How long a choice is kept before choosing again at random (1 hour).</summary>
    public TimeSpan ChoiceLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long to wait for a server's response headers before trying the other (3 seconds).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Bodies up to this size (by Content-Length, or JSON of any size) are read before the response is returned,
    /// so that a server that fails in the middle of one is tried again like one that did not answer (1 MiB).
    /// Larger bodies (whole videos) are streamed to the caller, who resumes with a Range request.
    /// </summary>
    public long BufferLimitBytes { get; init; } = 1024 * 1024;

    /// <summary>The longest Retry-After honoured before the server is tried again.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        if (Servers is null || Servers.Count < 2 || Servers.Count > MaxServers || Servers.Any(s => s is null || !s.IsAbsoluteUri))
        {
            throw new ArgumentException($"ServerPolicyOptions.Servers must hold the servers' absolute base URLs: the master and its standbys, 2 to {MaxServers}.", nameof(Servers));
        }
        if (Servers.Distinct().Count() != Servers.Count)
        {
            throw new ArgumentException("ServerPolicyOptions.Servers names a server twice: each would be chosen more often than the others.", nameof(Servers));
        }
    }
}
