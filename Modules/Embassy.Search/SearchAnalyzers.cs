using System.Collections.Concurrent;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Hunspell;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Embassy.Search;

/// <summary>
/// The analyzers of the index: per culture, words are lower-cased, stemmed (Polish: hunspell with Debian's pl_PL
/// dictionary, every stem it knows, "paszportu" → "paszport"; English: Porter, "passports" → "passport") and folded to ASCII ("żołnierz" →
/// "zolnierz"); and a folded-only form ("f") of every text, so that a word typed without its diacritics still finds an
/// inflected form the dictionary would not recognise without them.
/// </summary>
public sealed class SearchAnalyzers : IDisposable
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;
    public static readonly string[] Cultures = ["pl", "en"];
    public const string Folded = "f";

    private readonly Analyzer _polish;
    private readonly Analyzer _english;
    private readonly Analyzer _folded;

    public SearchAnalyzers(Dictionary? polishDictionary)
    {
        PolishStemming = polishDictionary is not null;
        var stems = new ConcurrentDictionary<string, string[]>(StringComparer.Ordinal);
        _polish = Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream stream = new LowerCaseFilter(Version, source);
            if (polishDictionary is not null)
            {
                stream = new CachedStemFilter(stream, polishDictionary, stems);
            }
            return new TokenStreamComponents(source, new ASCIIFoldingFilter(stream));
        });
        _english = Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream stream = new EnglishPossessiveFilter(Version, source);
            stream = new LowerCaseFilter(Version, stream);
            stream = new PorterStemFilter(stream);
            return new TokenStreamComponents(source, new ASCIIFoldingFilter(stream));
        });
        _folded = Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new StandardTokenizer(Version, reader);
            return new TokenStreamComponents(source, new ASCIIFoldingFilter(new LowerCaseFilter(Version, source)));
        });
        PerField = new PerFieldAnalyzerWrapper(_folded, new Dictionary<string, Analyzer>(StringComparer.Ordinal)
        {
            ["all.pl"] = _polish, ["all.en"] = _english,
        });
    }

    /// <summary>Whether Polish words are stemmed (the hunspell dictionary was found).</summary>
    public bool PolishStemming { get; }

    /// <summary>The index writer's analyzer: each field by its suffix (.pl, .en, .f).</summary>
    public Analyzer PerField { get; }

    public Analyzer For(string culture) => culture switch { "pl" => _polish, "en" => _english, _ => _folded };

    /// <summary>The terms a text becomes under an analyzer, with where each came from in the text.</summary>
    public static List<(string Term, int Start, int End)> Terms(Analyzer analyzer, string text)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        var terms = new List<(string, int, int)>();
        using var stream = analyzer.GetTokenStream("x", new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add((term.ToString(), offset.StartOffset, offset.EndOffset));
        }
        stream.End();
        return terms;
    }

    /// <summary>Debian's Polish hunspell dictionary, loaded once per process (a few seconds, ~70 MB); null when absent.</summary>
    public static Dictionary? LoadPolish(string directory)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(directory, out var cached))
            {
                return cached;
            }
            var aff = Path.Combine(directory, "pl_PL.aff");
            var dic = Path.Combine(directory, "pl_PL.dic");
            Dictionary? dictionary = null;
            if (File.Exists(aff) && File.Exists(dic))
            {
                System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance); // the .aff is ISO-8859-2
                using var affix = File.OpenRead(aff);
                using var words = File.OpenRead(dic);
                dictionary = new Dictionary(affix, words);
            }
            Loaded[directory] = dictionary;
            return dictionary;
        }
    }

    private static readonly Dictionary<string, Dictionary?> Loaded = new(StringComparer.Ordinal);

    public void Dispose()
    {
        PerField.Dispose();
        _polish.Dispose();
        _english.Dispose();
        _folded.Dispose();
    }

    /// <summary>
    /// Hunspell stemming, remembered per word: the stemmer costs ~20 µs a word and words repeat (a rebuild of 10,000 items
    /// sees each common word thousands of times). A word with several stems ("żołnierzy": "żołnierz" and the word itself)
    /// gives them all, at the word's position; an unknown word stays as it is.
    /// </summary>
    private sealed class CachedStemFilter : TokenFilter
    {
        private const int MaxCached = 500_000;
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _position;
        private readonly Dictionary _dictionary;
        private readonly ConcurrentDictionary<string, string[]> _stems;
        private string[]? _pending;
        private int _next;
        private State? _state;

        public CachedStemFilter(TokenStream input, Dictionary dictionary, ConcurrentDictionary<string, string[]> stems) : base(input)
        {
            _term = AddAttribute<ICharTermAttribute>();
            _position = AddAttribute<IPositionIncrementAttribute>();
            _dictionary = dictionary;
            _stems = stems;
        }

        public override bool IncrementToken()
        {
            if (_pending is not null && _next < _pending.Length)
            {
                RestoreState(_state);
                _term.SetEmpty().Append(_pending[_next++]);
                _position.PositionIncrement = 0;
                return true;
            }
            if (!m_input.IncrementToken())
            {
                return false;
            }
            var word = _term.ToString();
            if (!_stems.TryGetValue(word, out var stems))
            {
                stems = Stem(word);
                if (_stems.Count >= MaxCached)
                {
                    _stems.Clear();
                }
                _stems[word] = stems;
            }
            if (stems.Length == 0)
            {
                _pending = null;
                return true;
            }
            _term.SetEmpty().Append(stems[0]);
            (_pending, _next) = stems.Length > 1 ? (stems, 1) : (null, 0);
            _state = stems.Length > 1 ? CaptureState() : null;
            return true;
        }

        public override void Reset()
        {
            base.Reset();
            (_pending, _next, _state) = (null, 0, null);
        }

        private string[] Stem(string word)
        {
            using var source = new KeywordTokenizer(new StringReader(word));
            using var stream = new HunspellStemFilter(source, _dictionary, dedup: true, longestOnly: false);
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            var stems = new List<string>();
            while (stream.IncrementToken())
            {
                stems.Add(term.ToString());
            }
            stream.End();
            return stems.Distinct(StringComparer.Ordinal).ToArray();
        }
    }
}
