using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Embassy.Recipes.Tests;

public sealed class ScriptEvaluatorTests
{
    private static ScriptEvaluator Create(string variables = "{}", byte[]? seed = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Section:Key"] = "configured" }).Build();
        return new ScriptEvaluator(JsonNode.Parse(variables)!.AsObject(),
            new Dictionary<string, string?> { ["AdminUsername"] = "admin" }, configuration,
            new RecipeFiles(Path.GetTempPath()), seed ?? [1, 2, 3]);
    }

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

    [Fact]
    public void Errors_NameThePath()
    {
        var evaluator = Create("""{ "self": "[js: variables('self')]" }""");
        var node = JsonNode.Parse("""{ "a": [ { "b": "[js: nope()]" } ] }""");
        var error = Assert.Throws<RecipeException>(() => evaluator.Evaluate(node, ""));
        Assert.StartsWith("a[0].b: unsupported script function 'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("refers to itself", Assert.Throws<RecipeException>(() => Eval(evaluator, "[js: variables('self')]")).Message, StringComparison.Ordinal);
        Assert.Contains("a string is not closed", Assert.Throws<RecipeException>(() => Eval(evaluator, "[js: parameters('x)]")).Message, StringComparison.Ordinal);
    }
}
