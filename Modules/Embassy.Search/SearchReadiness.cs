using Embassy.Content.Services;
using Embassy.Core;
using Microsoft.Extensions.Options;

namespace Embassy.Search;

/// <summary>The index in /health/ready: its lag behind the change feed (entries not yet searchable). A lagging or missing
/// index is a warning, not a reason to stop serving: everything else works without it.</summary>
internal sealed class SearchReadiness(SearchIndex index, SearchIndexer indexer, ChangeFeed feed, IOptions<SearchOptions> options) : IReadinessContributor
{
    public async Task<ReadinessReport> ReportAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return new ReadinessReport("search", new { enabled = false });
        }
        var head = await feed.GetHeadAsync(cancellationToken);
        var lag = index.IsOpen ? Math.Max(0, head - index.Sequence) : head;
        var details = new { enabled = true, open = index.IsOpen, sequence = index.Sequence, head, lag, polishStemming = index.IsOpen ? index.Analyzers.PolishStemming : (bool?)null, lastError = indexer.LastError };
        var warning = !index.IsOpen ? "the search index is being built: /api/v1/search answers 503 until it is ready"
            : lag > options.Value.MaxLag ? $"the search index is {lag} changes behind (Embassy:Search:MaxLag = {options.Value.MaxLag})"
            : indexer.LastError is { } error ? $"search indexing failed: {error}" : null;
        return new ReadinessReport("search", details, warning);
    }
}
