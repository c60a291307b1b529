using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Embassy.Search;

/// <summary>A search as the API asks it: plain words (never Lucene syntax), the culture chain, types, a page.</summary>
public sealed record SearchRequest(string Text, IReadOnlyList<string> Chain, IReadOnlyCollection<string>? Types, int Offset, int Limit);

public sealed record SearchHit(string Id, string Type, string? Culture, string Title, string Snippet, IReadOnlyList<(int Start, int Length)> Highlights, float Score);

public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, int Total, bool More);

/// <summary>
/// Turns words into a query and hits into results. The text is never parsed as Lucene syntax: it is cut into words by the
/// analyzers themselves, so "title:*", "*foo", "a~" or unbalanced quotes are only their letters, and every clause is a
/// term query (no wildcard, fuzzy or range query can be asked for). Each word must be found (in any culture's stemmed
/// form, or folded) in the item (whose title counts three times, its summary twice: SearchDocuments); words like "jak", "w",
/// "the", "how" may be missing.
/// </summary>
public static partial class SearchQuery
{
    public const int MaxLength = 200;
    public const int MaxWords = 16;
    private const int SnippetLength = 180;
    private const int SnippetScan = 1200;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "from", "how", "i", "in", "is", "it", "my", "of", "on", "or", "the", "to", "what", "where", "when", "with",
        "a", "aby", "ale", "by", "co", "czy", "dla", "do", "gdzie", "i", "jak", "jaki", "jest", "kiedy", "na", "nie", "o", "od", "po", "przez", "sie", "się", "to", "w", "we", "z", "za", "ze",
    };

    private static readonly bool[] Strictness = [true, false];

    private static readonly (string Field, float Boost)[] Fields = [("all", 1f)];

    /// <summary>The words of a text as the folded analyzer cuts them (with their original spelling).</summary>
    public static List<string> Words(SearchAnalyzers analyzers, string text)
    {
        ArgumentNullException.ThrowIfNull(analyzers);
        ArgumentNullException.ThrowIfNull(text);
        return SearchAnalyzers.Terms(analyzers.For(SearchAnalyzers.Folded), text).Select(t => text[t.Start..t.End]).Take(MaxWords).ToList();
    }

    /// <summary>A query word as the analyzers cut it: its terms for each field suffix (every culture, then folded).</summary>
    public sealed record AnalyzedWord(IReadOnlyList<(string Suffix, string Term)> Terms)
    {
        /// <summary>A word that is only stop words, folded ("w", "się"): found or not, it does not decide.</summary>
        public bool IsStopWord => Terms.Where(t => t.Suffix == SearchAnalyzers.Folded).All(t => StopWords.Contains(t.Term));
    }

    /// <summary>Each word through every analyzer, once: the queries (strict, then lenient) and the snippet's stems use it.</summary>
    public static List<AnalyzedWord> Analyze(SearchAnalyzers analyzers, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(analyzers);
        ArgumentNullException.ThrowIfNull(words);
        return words.Select(word => new AnalyzedWord(SearchAnalyzers.Cultures.Append(SearchAnalyzers.Folded)
            .SelectMany(suffix => SearchAnalyzers.Terms(analyzers.For(suffix), word).Select(t => (suffix, t.Term)))
            .Distinct().ToList())).ToList();
    }

    public static Query? Build(IReadOnlyList<AnalyzedWord> words, bool allRequired)
    {
        ArgumentNullException.ThrowIfNull(words);
        var query = new BooleanQuery();
        foreach (var word in words)
        {
            var clause = new BooleanQuery(disableCoord: true); // a word found in one culture's form counts as found, not as a third of it
            foreach (var (suffix, term) in word.Terms)
            {
                foreach (var (field, boost) in Fields)
                {
                    clause.Add(new TermQuery(new Term(field + "." + suffix, term)) { Boost = boost * (suffix == SearchAnalyzers.Folded ? 0.3f : 1f) }, Occur.SHOULD);
                }
            }
            if (clause.Clauses.Count == 0)
            {
                continue;
            }
            query.Add(clause, allRequired && !word.IsStopWord ? Occur.MUST : Occur.SHOULD);
        }
        return query.Clauses.Count == 0 ? null : query;
    }

    /// <summary>Only items in the chain's first culture or none; in a later culture only when their translation set is
    /// not published in an earlier one (the lists' culture fallback); and of the types asked for.</summary>
    public static Filter Filter(IReadOnlyList<string> chain, IReadOnlyCollection<string>? types)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var key = string.Join(',', chain) + "|" + (types is null ? "" : string.Join(',', types.Order(StringComparer.Ordinal)));
        // Kept per index segment by Lucene (and dropped with it): a filter is worked out once, not on every query.
        return Filters.GetOrAdd(key, _ => new CachingWrapperFilter(NewFilter(chain, types)));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Filter> Filters = new(StringComparer.Ordinal);

    private static QueryWrapperFilter NewFilter(IReadOnlyList<string> chain, IReadOnlyCollection<string>? types)
    {
        var cultures = new BooleanQuery { { new TermQuery(new Term(SearchDocuments.Culture, "")), Occur.SHOULD } };
        for (var k = 0; k < chain.Count; k++)
        {
            var inCulture = new BooleanQuery { { new TermQuery(new Term(SearchDocuments.Culture, chain[k])), Occur.MUST } };
            foreach (var earlier in chain.Take(k))
            {
                inCulture.Add(new TermQuery(new Term(SearchDocuments.SetCultures, earlier)), Occur.MUST_NOT);
            }
            cultures.Add(inCulture, Occur.SHOULD);
        }
        var filter = new BooleanQuery { { cultures, Occur.MUST }, { new TermQuery(new Term(SearchDocuments.Kind, SearchDocuments.PublishedKind)), Occur.MUST } };
        if (types is { Count: > 0 })
        {
            var anyType = new BooleanQuery();
            foreach (var type in types)
            {
                anyType.Add(new TermQuery(new Term(SearchDocuments.Type, type)), Occur.SHOULD);
            }
            filter.Add(anyType, Occur.MUST);
        }
        return new QueryWrapperFilter(filter);
    }

    /// <summary>Runs a search on the live index: every word required, or (when that finds nothing) any of them.</summary>
    public static SearchResults? Run(SearchIndex index, SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        var analyzers = index.Analyzers;
        var words = Analyze(analyzers, Words(analyzers, request.Text));
        var filter = Filter(request.Chain, request.Types);
        var stems = Stems(words);
        return index.Read(searcher =>
        {
            foreach (var allRequired in Strictness)
            {
                if (Build(words, allRequired) is not { } query)
                {
                    return new SearchResults([], 0, false);
                }
                var top = searcher.Search(query, filter, request.Offset + request.Limit + 1);
                if (top.TotalHits == 0 && allRequired && words.Count > 1)
                {
                    continue;
                }
                var page = top.ScoreDocs.Skip(request.Offset).Take(request.Limit).Select(hit =>
                {
                    var document = searcher.Doc(hit.Doc);
                    var (snippet, highlights) = Snippet(analyzers, document.Get(SearchDocuments.Text) ?? "", stems);
                    var culture = document.Get(SearchDocuments.Culture);
                    return new SearchHit(document.Get(SearchDocuments.Id), document.Get(SearchDocuments.Type), culture is { Length: > 0 } ? culture : null,
                        document.Get(SearchDocuments.Title) ?? "", snippet, highlights, hit.Score);
                }).ToList();
                return new SearchResults(page, top.TotalHits, top.ScoreDocs.Length > request.Offset + request.Limit);
            }
            return new SearchResults([], 0, false);
        });
    }

    /// <summary>
    /// The CMI's search (on the master): the ids of items whose latest version — draft or not — holds the words, best
    /// first, of one type or any. Who may see which item is the caller's to apply (the CMI's lists do, in SQL).
    /// </summary>
    public static IReadOnlyList<string>? RunLatest(SearchIndex index, string text, string? contentType, int max)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(text);
        var analyzers = index.Analyzers;
        var words = Analyze(analyzers, Words(analyzers, text.Length > MaxLength ? text[..MaxLength] : text));
        var filter = new BooleanQuery { { new TermQuery(new Term(SearchDocuments.Kind, SearchDocuments.LatestKind)), Occur.MUST } };
        if (contentType is not null)
        {
            filter.Add(new TermQuery(new Term(SearchDocuments.Type, contentType)), Occur.MUST);
        }
        return index.Read<IReadOnlyList<string>>(searcher =>
        {
            if (Build(words, allRequired: true) is not { } query)
            {
                return [];
            }
            var top = searcher.Search(query, new QueryWrapperFilter(filter), max);
            return top.ScoreDocs.Select(hit => searcher.Doc(hit.Doc).Get(SearchDocuments.Id)).ToList();
        });
    }

    /// <summary>The query words' stems in every culture and folded: what a snippet marks.</summary>
    public static List<string> Stems(IReadOnlyList<AnalyzedWord> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.SelectMany(w => w.Terms).Select(t => t.Term).Where(t => t.Length >= 2 && !StopWords.Contains(t)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A piece of the item's text around the first word found, with the words found marked (start, length in the
    /// snippet). A text word counts as found when, folded, it starts with one of <paramref name="stems"/> ("paszportem"
    /// for "paszportu" → "paszport"). Only the text's first <see cref="SnippetScan"/> characters are looked through.
    /// </summary>
    public static (string Snippet, List<(int Start, int Length)> Highlights) Snippet(SearchAnalyzers analyzers, string text, IReadOnlyList<string> stems)
    {
        ArgumentNullException.ThrowIfNull(analyzers);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(stems);
        // Words of the text lower-cased and folded by a character map (one character for one, so offsets stay the text's):
        // much cheaper than an analyzer's token stream, which matters with ten snippets per answer.
        var scanned = text.Length > SnippetScan ? text[..SnippetScan] : text;
        var folded = FoldForSnippet(scanned);
        var found = WordPattern().Matches(folded).Select(m => (Term: m.Value, Start: m.Index, End: m.Index + m.Length))
            .Where(t => stems.Any(s => t.Term.StartsWith(s, StringComparison.Ordinal) || (t.Term.Length >= 4 && s.StartsWith(t.Term, StringComparison.Ordinal)))).ToList();
        var start = found.Count == 0 ? 0 : Math.Max(0, found[0].Start - 50);
        if (start > 0)
        {
            var space = text.IndexOf(' ', start);
            start = space >= 0 && space < found[0].Start ? space + 1 : start;
        }
        var end = Math.Min(text.Length, start + SnippetLength);
        if (end < text.Length && text.LastIndexOf(' ', end - 1, end - start) is var cut && cut > start + SnippetLength / 2)
        {
            end = cut;
        }
        var prefix = start > 0 ? "…" : "";
        var snippet = prefix + text[start..end] + (end < text.Length ? "…" : "");
        var highlights = found.Where(t => t.Start >= start && t.End <= end).Select(t => (t.Start - start + prefix.Length, t.End - t.Start)).ToList();
        return (snippet, highlights);
    }

    /// <summary>Lower case, and the letters of Polish and the common Latin accents without their marks, one for one.</summary>
    internal static string FoldForSnippet(string text)
    {
        var chars = text.ToLowerInvariant().ToCharArray();
        if (chars.Length != text.Length)
        {
            return text.ToLowerInvariant(); // a character that lower-cases to more than one: leave offsets alone
        }
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                'ą' or 'á' or 'à' or 'â' or 'ä' or 'ã' or 'å' => 'a',
                'ć' or 'ç' or 'č' => 'c',
                'ę' or 'é' or 'è' or 'ê' or 'ë' or 'ě' => 'e',
                'í' or 'ì' or 'î' or 'ï' => 'i',
                'ł' => 'l',
                'ń' or 'ñ' or 'ň' => 'n',
                'ó' or 'ò' or 'ô' or 'ö' or 'õ' => 'o',
                'ś' or 'š' => 's',
                'ź' or 'ż' or 'ž' => 'z',
                'ú' or 'ù' or 'û' or 'ü' or 'ů' => 'u',
                'ý' or 'ÿ' => 'y',
                var c => c,
            };
        }
        return new string(chars);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\w+")]
    private static partial System.Text.RegularExpressions.Regex WordPattern();
}
