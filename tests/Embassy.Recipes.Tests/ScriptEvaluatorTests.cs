using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Embassy.Recipes.Tests;

public sealed class ScriptEvaluatorTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Section:Key"] = "configured",
        ["ConnectionStrings:Default"] = "Server=db;Password=secret-password",
        ["Embassy:Cluster:SyncSecret"] = "a-sync-secret-of-at-least-32-characters!",
    }).Build();

    private static ScriptEvaluator Create(string variables = "{}", byte[]? seed = null, ScriptLimits? limits = null) =>
        new(JsonNode.Parse(variables)!.AsObject(), new Dictionary<string, string?> { ["AdminUsername"] = "admin" }, Configuration,
            new RecipeFiles(Path.GetTempPath()), seed ?? [1, 2, 3], limits ?? new ScriptLimits { ConfigurationKeys = new HashSet<string> { "Section:Key" } });

    private static string? Eval(ScriptEvaluator evaluator, string script) => (string?)evaluator.Evaluate(JsonValue.Create(script), "$");

    [Fact]
    public void Functions_AndConcatenation_AreEvaluated()
    {
        var evaluator = Create("""{ "prefix": "Admin", "id": "[js:uuid()]" }""");
        Assert.Equal("admin", Eval(evaluator, "[js: parameters('AdminUsername')]"));
        Assert.Equal("configured", Eval(evaluator, "[js: configuration('Section_Key', 'default')]"));
        Assert.Equal("default", Eval(evaluator, "[js: configuration('Missing:Key', 'default')]"));
        Assert.Equal("{\r\n    \"type\": \"ContentItem/BlogPost\"\r\n}", Eval(evaluator, "[js:base64('ew0KICAgICJ0eXBlIjogIkNvbnRlbnRJdGVtL0Jsb2dQb3N0Ig0KfQ==')]"));
        var id = Eval(evaluator, "[js: variables('id')]");
        Assert.Matches("^[0-9a-z]{26}$", id);
        Assert.Equal(id, Eval(evaluator, "[js: variables('id')]"));
        Assert.Equal($"Admin/Contents/ContentItems/{id}/Display",
            Eval(evaluator, "[js: variables('prefix') + '/Contents/ContentItems/' +  variables('id') + '/Display']"));
        Assert.Equal("not a script", Eval(evaluator, "not a script"));
        Assert.Equal("[js ]", Eval(evaluator, "[js ]"));
    }

    /// <summary>Orchard's html() decodes entities and gzip() gives Base64 of the decompressed bytes (its ScriptMethods).</summary>
    [Fact]
    public void OrchardsHtmlAndGzipFunctions_WorkAsInOrchard()
    {
        var evaluator = Create();
        Assert.Equal("<p>a & b</p>", Eval(evaluator, "[js: html('&lt;p&gt;a &amp; b&lt;/p&gt;')]"));
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("hello recipe"));
        }
        var encoded = Convert.ToBase64String(packed.ToArray());
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("hello recipe")), Eval(evaluator, $"[js: gzip('{encoded}')]"));
        Assert.Equal("hello recipe", Eval(evaluator, $"[js: base64(gzip('{encoded}'))]"));
    }

    /// <summary>TheComingSoonTheme's recipe: a real JavaScript engine, so `new Date()` and methods work.</summary>
    [Fact]
    public void RealJavaScript_NewDateAndMethods_Work()
    {
        var evaluator = Create("""{ "now": "[js: new Date().toISOString()]" }""");
        var now = Eval(evaluator, "[js: variables('now')]");
        Assert.True(DateTime.TryParse(now, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var parsed), now);
        Assert.InRange(parsed.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("ABC", Eval(evaluator, "[js: ['a','b','c'].map(function (x) { return x.toUpperCase(); }).join('')]"));
        Assert.Equal(42.0, (double)Create().Evaluate(JsonValue.Create("[js: 40 + 2]"), "$")!);
    }

    [Fact]
    public void Configuration_ReadsOnlyAllowedKeys_SoSecretsStayOut()
    {
        var evaluator = Create();
        Assert.Null(Eval(evaluator, "[js: configuration('ConnectionStrings:Default')]"));
        Assert.Null(Eval(evaluator, "[js: configuration('ConnectionStrings_Default')]"));
        Assert.Equal("fallback", Eval(evaluator, "[js: configuration('Embassy:Cluster:SyncSecret', 'fallback')]"));
    }

    [Theory]
    [InlineData("[js: (function f() { return f(); })()]", "recursed deeper")]
    [InlineData("[js: (function () { while (true) { } })()]", "the script ran more than")]
    [InlineData("[js: (function () { for (;;) { Math.sqrt(2); } })()]", "the script ran")]
    [InlineData("[js: 'x'.repeat(1 << 28)]", "the script")]
    [InlineData("[js: new Array(1 << 24).fill('x').join('')]", "the script")]
    public void HostileScripts_FailWithAClearError_AndTheServerGoesOn(string script, string expected)
    {
        var evaluator = Create(limits: new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(300) });
        var started = DateTime.UtcNow;
        var error = Assert.Throws<RecipeException>(() => Eval(evaluator, script));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void AnEndlessLoop_StopsAtTheTimeLimit_WhenStatementsAllowIt()
    {
        var evaluator = Create(limits: new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(200), MaxStatements = int.MaxValue });
        var error = Assert.Throws<RecipeException>(() => Eval(evaluator, "[js: (function () { while (true) { } })()]"));
        Assert.Contains("ran longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedParentheses_AreRefusedBeforeParsing()
    {
        var script = "[js: " + new string('(', 100_000) + "1" + new string(')', 100_000) + "]";
        var error = Assert.Throws<RecipeException>(() => Eval(Create(limits: new ScriptLimits { MaxScriptLength = 1_000_000 }), script));
        Assert.Contains("nests brackets", error.Message, StringComparison.Ordinal);
        Assert.Contains("longer than", Assert.Throws<RecipeException>(() => Eval(Create(), script)).Message, StringComparison.Ordinal);
    }

    /// <summary>Variables that each double the one before: without bounds, 2^40 characters.</summary>
    [Fact]
    public void SelfDoublingVariables_AreBounded()
    {
        var variables = new JsonObject { ["v0"] = "xxxxxxxxxxxxxxxx" };
        for (var i = 1; i <= 40; i++)
        {
            variables[$"v{i}"] = $"[js: variables('v{i - 1}') + variables('v{i - 1}')]";
        }
        var evaluator = Create(variables.ToJsonString());
        var error = Assert.Throws<RecipeException>(() => Eval(evaluator, "[js: variables('v40')]"));
        Assert.True(error.Message.Contains("deep", StringComparison.Ordinal) || error.Message.Contains("longer than", StringComparison.Ordinal) ||
            error.Message.Contains("MB", StringComparison.Ordinal), error.Message);
        var wide = new JsonObject { ["v0"] = "xxxxxxxxxxxxxxxx" };
        for (var i = 1; i <= 40; i++)
        {
            wide[$"v{i}"] = $"[js: variables('v{i - 1}') + variables('v{i - 1}')]";
        }
        // Read bottom-up, each variable is cached and shallow: the result size is what stops it.
        var bottomUp = Create(wide.ToJsonString());
        var stopped = Assert.Throws<RecipeException>(() =>
        {
            for (var i = 1; i <= 40; i++)
            {
                Eval(bottomUp, $"[js: variables('v{i}')]");
            }
        });
        Assert.Contains("longer than", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoClrAccess_FromScripts()
    {
        var error = Assert.Throws<RecipeException>(() => Eval(Create(), "[js: System.IO.File.ReadAllText('/etc/passwd')]"));
        Assert.Contains("System is not defined", error.Message, StringComparison.Ordinal);
        Assert.Contains("the script failed", Assert.Throws<RecipeException>(() => Eval(Create(), "[js: importNamespace('System')]")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uuid_IsDeterministicPerRecipe_AndDistinctWithinIt()
    {
        var a = Create(seed: [9]);
        var b = Create(seed: [9]);
        var c = Create(seed: [8]);
        var first = Eval(a, "[js: uuid()]");
        Assert.Equal(first, Eval(b, "[js: uuid()]"));
        Assert.NotEqual(first, Eval(a, "[js: uuid()]"));
        Assert.NotEqual(first, Eval(c, "[js: uuid()]"));
    }

    /// <summary>Single lookups are answered without the engine; the answers are the engine's.</summary>
    [Fact]
    public void SimpleLookups_AnswerAsTheEngineWould()
    {
        var fast = Create("""{ "v": "value" }""", seed: [7]);
        var engine = Create("""{ "v": "value" }""", seed: [7]);
        Assert.Equal(Eval(engine, "[js: '' + uuid()]"), Eval(fast, "[js: uuid()]"));
        Assert.Equal(Eval(engine, "[js: '' + parameters('AdminUsername')]"), Eval(fast, "[js: parameters('AdminUsername')]"));
        Assert.Equal(Eval(engine, "[js: '' + variables('v')]"), Eval(fast, "[js:variables( 'v' );]"));
        Assert.Null(Eval(fast, "[js: parameters('Missing')]"));
        Assert.Null(Eval(engine, "[js: (parameters('Missing'))]"));
    }

    [Fact]
    public void Errors_NameThePath()
    {
        var evaluator = Create("""{ "self": "[js: variables('self')]" }""");
        var node = JsonNode.Parse("""{ "a": [ { "b": "[js: nope()]" } ] }""");
        var error = Assert.Throws<RecipeException>(() => evaluator.Evaluate(node, ""));
        Assert.StartsWith("a[0].b: the script failed: nope is not defined", error.Message, StringComparison.Ordinal);
        Assert.Contains("refers to itself", Assert.Throws<RecipeException>(() => Eval(evaluator, "[js: variables('self')]")).Message, StringComparison.Ordinal);
        Assert.Contains("the script failed: Invalid or unexpected token", Assert.Throws<RecipeException>(() => Eval(evaluator, "[js: parameters('x)]")).Message, StringComparison.Ordinal);
    }

    /// <summary>Text that looks like a script, written back by an export, comes back from an import as the same text.</summary>
    [Theory]
    [InlineData("[js: configuration('ConnectionStrings:Default')]")]
    [InlineData("[file:text('/etc/passwd')]")]
    [InlineData("[js: \"quoted\" + '\\u2028' ]")]
    [InlineData("plain title")]
    public void Escape_MakesScriptTextComeBackAsText(string text)
    {
        var escaped = ScriptEvaluator.Escape(text);
        Assert.Equal(text, Eval(Create(), escaped));
    }
}
