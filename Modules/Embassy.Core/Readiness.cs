namespace Embassy.Core;

/// <summary>What a module says about itself in /health/ready: details for operators, and a warning (the server still
/// serves) or a problem (it should not: 503).</summary>
public sealed record ReadinessReport(string Name, object Details, string? Warning = null, string? Problem = null);

/// <summary>A module's part of /health/ready.</summary>
public interface IReadinessContributor
{
    Task<ReadinessReport> ReportAsync(CancellationToken cancellationToken);
}
