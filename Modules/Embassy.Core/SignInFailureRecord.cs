namespace Embassy.Core;

/// <summary>
/// Wrong passwords or codes for one account from one client address: the CMI's sign-in lockout. In the database, so
/// that both servers see the same count — a promoted standby goes on where the old master stopped, and alternating
/// servers after a failover gives an attacker no fresh guesses (SECURITY.md).
/// </summary>
public sealed class SignInFailureRecord
{
    /// <summary>The user name as typed, trimmed and upper-cased (unknown names are counted like known ones).</summary>
    public string Account { get; set; } = "";

    public string Address { get; set; } = "";

    /// <summary>A concurrency token: two wrong attempts at once both count.</summary>
    public int Count { get; set; }

    public DateTime? LockedUntilUtc { get; set; }

    public DateTime LastUtc { get; set; }
}
