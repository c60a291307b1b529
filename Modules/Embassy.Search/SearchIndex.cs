using Embassy.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Search;

/// <summary>
/// This server's full-text index of its published content (Lucene.Net), in its data directory. Each generation of the
/// index is a folder; the file "current" names the live one. The index's last commit records the change-feed sequence it
/// has reached, so after a restart the server goes on from there. A rebuild (the command, or the server itself when it
/// has no index) writes a new generation and then points "current" at it; the server notices and switches, so a rebuild
/// never stops searching.
/// </summary>
public sealed partial class SearchIndex(IOptions<SearchOptions> options, IOptions<EmbassyOptions> embassy, ILogger<SearchIndex> logger) : IDisposable
{
    public const string SequenceKey = "sequence";
    public const string FormatKey = "format";
    public const string LatestKey = "latest";
    /// <summary>Bumped when what is indexed changes: an index of another format is rebuilt.</summary>
    public const string Format = "4";

    private readonly System.Threading.Lock _lock = new();
    private Generation? _live;
    private SearchAnalyzers? _analyzers;

    public string Root => options.Value.IndexDirectory ?? Path.Combine(embassy.Value.DataDirectory, "search");

    private string CurrentFile => Path.Combine(Root, "current");

    public SearchAnalyzers Analyzers
    {
        get
        {
            lock (_lock)
            {
                if (_analyzers is null)
                {
                    var dictionary = SearchAnalyzers.LoadPolish(options.Value.HunspellDirectory);
                    if (dictionary is null)
                    {
                        LogNoDictionary(logger, options.Value.HunspellDirectory);
                    }
                    _analyzers = new SearchAnalyzers(dictionary);
                }
                return _analyzers;
            }
        }
    }

    /// <summary>The change-feed sequence the live index has reached; -1 before it has any.</summary>
    public long Sequence => _live?.Sequence ?? -1;

    /// <summary>Names the index's state (generation and sequence): part of every cached answer's key.</summary>
    public string State => _live is { } live ? $"{live.Name}:{live.Sequence}" : "none";

    public bool IsOpen => _live is not null;

    /// <summary>The current generation is locked by another process: this one does not build over it.</summary>
    public bool LockedOut { get; private set; }

    private sealed class Generation(string name, FSDirectory directory, IndexWriter writer, SearcherManager searchers) : IDisposable
    {
        public string Name { get; } = name;
        public FSDirectory Directory { get; } = directory;
        public IndexWriter Writer { get; } = writer;
        public SearcherManager Searchers { get; } = searchers;
        public long Sequence { get; set; } = -1;
        public long LatestSince { get; set; }

        public void Dispose()
        {
            Searchers.Dispose();
            Writer.Dispose();
            Directory.Dispose();
        }
    }

    /// <summary>Opens the generation "current" names (if it changed since), and says whether the index is usable
    /// (it has a commit of this format); false: it must be built.</summary>
    public bool OpenCurrent()
    {
        var name = File.Exists(CurrentFile) ? File.ReadAllText(CurrentFile).Trim() : null;
        if (name is null || !System.IO.Directory.Exists(Path.Combine(Root, name)))
        {
            return false;
        }
        if (_live?.Name == name)
        {
            LockedOut = false;
            return true;
        }
        var directory = FSDirectory.Open(new DirectoryInfo(Path.Combine(Root, name)));
        try
        {
            var data = LastCommitData(directory);
            if (data is null || !data.TryGetValue(FormatKey, out var format) || format != Format || !data.TryGetValue(SequenceKey, out var reached)
                || !long.TryParse(reached, System.Globalization.CultureInfo.InvariantCulture, out var sequence))
            {
                directory.Dispose();
                return false;
            }
            var writer = new IndexWriter(directory, new IndexWriterConfig(SearchAnalyzers.Version, Analyzers.PerField) { OpenMode = OpenMode.APPEND });
            var generation = new Generation(name, directory, writer, new SearcherManager(writer, true, null))
            {
                Sequence = sequence,
                LatestSince = data.TryGetValue(LatestKey, out var since) && long.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, out var ticks) ? ticks : 0,
            };
            var old = _live;
            _live = generation;
            Retire(old);
            LogOpened(logger, name, sequence);
            return true;
        }
        catch (LockObtainFailedException)
        {
            // Another process writes it (two servers on one data directory, or a stale lock): not a reason to build
            // another (they would take turns building); keep what is open, and say so.
            directory.Dispose();
            LockedOut = true;
            return _live is not null;
        }
        catch (Exception ex) when (ex is IOException or CorruptIndexException or IndexNotFoundException)
        {
            directory.Dispose();
            LogUnusable(logger, name, ex);
            return false;
        }
    }

    private static IDictionary<string, string>? LastCommitData(Lucene.Net.Store.Directory directory)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return null;
        }
        var infos = new SegmentInfos();
        infos.Read(directory);
        return infos.UserData;
    }

    /// <summary>A searcher of the live index, for <paramref name="read"/>; null when there is no index yet.</summary>
    public T? Read<T>(Func<IndexSearcher, T> read) where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        var live = _live;
        if (live is null)
        {
            return null;
        }
        var searcher = live.Searchers.Acquire();
        try
        {
            return read(searcher);
        }
        finally
        {
            live.Searchers.Release(searcher);
        }
    }

    /// <summary>Applies changes to the live index and commits them with the sequence reached (the indexer only).</summary>
    /// <param name="changes">Documents by key ("p:{id}", "l:{id}"); null: the key's document goes.</param>
    /// <param name="sequence">The change-feed sequence reached.</param>
    /// <param name="latestSince">The master's latest versions: modified since when they are all in (ticks).</param>
    public void Apply(IEnumerable<(string Key, Document? Document)> changes, long sequence, long latestSince)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var live = _live ?? throw new InvalidOperationException("the search index is not open");
        foreach (var (key, document) in changes)
        {
            if (document is null)
            {
                live.Writer.DeleteDocuments(new Term(SearchDocuments.Key, key));
            }
            else
            {
                live.Writer.UpdateDocument(new Term(SearchDocuments.Key, key), document);
            }
        }
        live.Writer.SetCommitData(CommitData(sequence, latestSince));
        live.Writer.Commit();
        live.Searchers.MaybeRefresh();
        live.Sequence = sequence;
        live.LatestSince = latestSince;
    }

    private static Dictionary<string, string> CommitData(long sequence, long latestSince) => new()
    {
        [SequenceKey] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [LatestKey] = latestSince.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [FormatKey] = Format,
    };

    /// <summary>Up to when the master's latest versions (drafts) are in the index (ticks of their modification time).</summary>
    public long LatestSince => _live?.LatestSince ?? 0;

    /// <summary>
    /// Writes a whole new generation from <paramref name="documents"/> at <paramref name="sequence"/> (the feed's head
    /// read before the first item) and makes it current. Any process may run it beside the server: the server switches.
    /// </summary>
    public async Task<int> BuildAsync(IAsyncEnumerable<(string Key, Document Document)> documents, long sequence, long latestSince, IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        System.IO.Directory.CreateDirectory(Root);
        var name = "g" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture) + "-" + Environment.ProcessId;
        var path = Path.Combine(Root, name);
        var count = 0;
        try
        {
            using (var directory = FSDirectory.Open(new DirectoryInfo(path)))
            using (var writer = new IndexWriter(directory, new IndexWriterConfig(SearchAnalyzers.Version, Analyzers.PerField)
                   { OpenMode = OpenMode.CREATE, RAMBufferSizeMB = 64 }))
            {
                await foreach (var (_, document) in documents.WithCancellation(cancellationToken))
                {
                    writer.AddDocument(document);
                    if (++count % 500 == 0)
                    {
                        progress?.Report(count);
                    }
                }
                writer.SetCommitData(CommitData(sequence, latestSince));
                writer.Commit();
            }
            progress?.Report(count);
            var next = CurrentFile + ".next";
            await File.WriteAllTextAsync(next, name, cancellationToken);
            File.Move(next, CurrentFile, overwrite: true);
            return count;
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>An old generation: closed after a moment (searches in flight finish), then deleted.</summary>
    private static void Retire(Generation? old)
    {
        if (old is null)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var path = old.Directory.Directory.FullName;
            old.Dispose();
            TryDelete(path);
        });
    }

    /// <summary>Generations other than the live one (left by a crash or a rebuild that lost a race), deleted.</summary>
    public void DeleteStale()
    {
        if (!System.IO.Directory.Exists(Root))
        {
            return;
        }
        foreach (var directory in System.IO.Directory.GetDirectories(Root))
        {
            if (Path.GetFileName(directory) != _live?.Name && System.IO.Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddMinutes(-10))
            {
                TryDelete(directory);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // still in use: the next start deletes it
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public void Dispose()
    {
        _live?.Dispose();
        _live = null;
        _analyzers?.Dispose();
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Warning,
        Message = "Search: no Polish hunspell dictionary in {Directory} (install hunspell-pl): Polish is searched without stemming")]
    private static partial void LogNoDictionary(ILogger logger, string directory);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Search: index {Generation} opened at change-feed sequence {Sequence}")]
    private static partial void LogOpened(ILogger logger, string generation, long sequence);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Search: index {Generation} cannot be used; it is rebuilt")]
    private static partial void LogUnusable(ILogger logger, string generation, Exception exception);
}
