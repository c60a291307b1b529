using System.Text.RegularExpressions;
using Embassy.Admin.Localization;
using Embassy.Testing;

namespace Embassy.Admin.Tests;

/// <summary>The translators' check: every literal the CMI passes through its localizer has a Polish entry.</summary>
public sealed partial class LocalizationTests
{
    [Fact]
    public void EveryTextTheCmiTranslates_HasAPolishTranslation()
    {
        var polish = CmiText.ParsePo(File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "Modules", "Embassy.Admin", "Localization", "pl.po")));
        var sources = Directory.EnumerateFiles(Path.Combine(Paths.RepositoryRoot, "Modules", "Embassy.Admin"), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var seen = 0;
        foreach (var file in sources)
        {
            foreach (Match match in Literal().Matches(File.ReadAllText(file)))
            {
                seen++;
                var text = Regex.Unescape(match.Groups[1].Value);
                if (!polish.TryGetValue(text, out var translated) || translated.Length == 0)
                {
                    missing.Add($"{Path.GetFileName(file)}: {text}");
                }
            }
        }
        Assert.True(seen > 80, $"only {seen} translated texts found: has the pattern changed?");
        Assert.Empty(missing);
        Assert.True(new CmiText().Count("pl") >= polish.Count); // the embedded file is this one
    }

    [Fact]
    public void TheContentCoresMessages_AreTranslated_WithTheirDataKept()
    {
        var polish = CmiText.ParsePo(File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "Modules", "Embassy.Admin", "Localization", "pl.po")));
        Assert.All(CmiText.CoreMessages, m => Assert.True(polish.ContainsKey(m.Text), m.Text));
        var text = new CmiText();
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("pl");
        try
        {
            Assert.Equal("News.Image: „news/a b.jpg” potrzebuje tekstu alternatywnego (albo oznaczenia jako dekoracyjny) przed publikacją",
                text.CoreMessage("News.Image.MediaTexts: 'news/a b.jpg' needs an alternative text (or to be marked decorative) before the item is published"));
            Assert.Equal("something else", text.CoreMessage("something else")); // unknown: as it is
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void PoFiles_AreRead_WithEscapes_AndWithoutComments()
    {
        var entries = CmiText.ParsePo("""
            # a comment
            msgid ""
            msgstr ""
            "Language: pl\n"
            msgid "Tick \"yes, delete\""
            msgstr "Zaznacz „tak, usuń” \"teraz\""
            """);
        Assert.Equal(["Tick \"yes, delete\""], entries.Keys);
        Assert.Equal("Zaznacz „tak, usuń” \"teraz\"", entries["Tick \"yes, delete\""]);
    }

    /// <summary>T["…"] in views, Say("…") in page models, and in the editor's form errors.Add(input, "…", …),
    /// FieldEditors.Error(errors, input, "…", …) and SiteTime's reasons (error = "…"): a string literal.</summary>
    [GeneratedRegex("""(?:\bT\[|\bSay\(|\berrors\.Add\([^,"]+, |\bError\(errors, input, |\berror = )"((?:[^"\\]|\\.)*)"[,\]);]""")]
    private static partial Regex Literal();
}
