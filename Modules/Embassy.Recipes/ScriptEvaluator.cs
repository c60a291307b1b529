using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Embassy.Core;
using Microsoft.Extensions.Configuration;

namespace Embassy.Recipes;

/// <summary>
/// Evaluates Orchard's recipe scripts: a string value that is wholly <c>[js: expression]</c> or
/// <c>[file:text('path')]</c>. The expressions Orchard's recipes use are supported — string and
/// number literals, <c>+</c>, and the functions uuid, variables, parameters, configuration and
/// base64 — without a JavaScript engine; anything else is an error that names the function.
/// </summary>
/// <remarks>
/// uuid() is deterministic: the n-th call for a recipe yields an id derived from the recipe's bytes and n.
/// Importing the same recipe twice thus addresses the same items and converges to the same state,
/// on any server (see docs/adr/0002-recipes.md).
/// </remarks>
public sealed class ScriptEvaluator
{
    private readonly JsonObject _variables;
    private readonly Dictionary<string, JsonNode?> _evaluatedVariables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string?> _parameters;
    private readonly IConfiguration _configuration;
    private readonly RecipeFiles _files;
    private readonly byte[] _seed;
    private int _uuidCount;

    public ScriptEvaluator(JsonObject? variables, IReadOnlyDictionary<string, string?> parameters, IConfiguration configuration,
        RecipeFiles files, byte[] seed)
    {
        _variables = variables ?? [];
        _parameters = parameters;
        _configuration = configuration;
        _files = files;
        _seed = seed;
    }

    /// <summary>A copy of <paramref name="node"/> with every script evaluated; errors name the JSON path.</summary>
    public JsonNode? Evaluate(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = Evaluate(value, $"{path}.{key}");
                }
                return copy;
            case JsonArray array:
                var items = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    items.Add(Evaluate(array[i], $"{path}[{i}]"));
                }
                return items;
            case JsonValue value when value.TryGetValue<string>(out var text) && IsScript(text):
                try
                {
                    return EvaluateScript(text);
                }
                catch (RecipeException ex)
                {
                    throw new RecipeException($"{path.TrimStart('.')}: {ex.Message}", ex);
                }
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsScript(string text) =>
        text.Length > 3 && text[0] == '[' && text[^1] == ']' &&
        (text.AsSpan(1).TrimStart().StartsWith("js:", StringComparison.Ordinal) ||
         text.AsSpan(1).TrimStart().StartsWith("file:", StringComparison.Ordinal));

    private JsonNode? EvaluateScript(string text)
    {
        var body = text[1..^1].TrimStart();
        if (body.StartsWith("js:", StringComparison.Ordinal))
        {
            return new Parser(body[3..], this).ParseAll();
        }
        // [file:text('path')] — the only file function Orchard's recipes use.
        var call = body[5..].Trim();
        if (!call.StartsWith("text(", StringComparison.Ordinal))
        {
            throw new RecipeException($"unsupported file script '{text}' (only file:text('path') is supported)");
        }
        var argument = new Parser(call[4..], this).ParseAll();
        var relative = argument is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new RecipeException("file:text needs a path");
        return File.ReadAllText(_files.Resolve(relative), Encoding.UTF8);
    }

    private JsonNode? Call(string function, List<JsonNode?> args)
    {
        string Arg(int i) => i < args.Count && args[i] is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw new RecipeException($"{function}() needs a string as argument {i + 1}");
        switch (function)
        {
            case "uuid":
                var seed = Encoding.UTF8.GetBytes($":{_uuidCount++}");
                return IdGenerator.FromSeed([.. _seed, .. seed]);
            case "variables":
                return Variable(Arg(0));
            case "parameters":
                return _parameters.TryGetValue(Arg(0), out var parameter) ? parameter : null;
            case "configuration":
                var key = Arg(0);
                var configured = _configuration[key] ?? _configuration[key.Replace('_', ':')];
                return configured ?? (args.Count > 1 ? args[1]?.DeepClone() : null);
            case "base64":
                try
                {
                    return Encoding.UTF8.GetString(Convert.FromBase64String(Arg(0)));
                }
                catch (FormatException)
                {
                    throw new RecipeException("base64() was given a string that is not Base64");
                }
            default:
                throw new RecipeException($"unsupported script function '{function}' (supported: uuid, variables, parameters, configuration, base64)");
        }
    }

    /// <summary>Variables are evaluated the first time they are read, then reused across steps (as in Orchard).</summary>
    private JsonNode? Variable(string name)
    {
        if (_evaluatedVariables.TryGetValue(name, out var cached))
        {
            return cached?.DeepClone();
        }
        if (!_variables.ContainsKey(name))
        {
            throw new RecipeException($"variable '{name}' is not declared in the recipe's \"variables\"");
        }
        if (!_evaluating.Add(name))
        {
            throw new RecipeException($"variable '{name}' refers to itself");
        }
        var value = Evaluate(_variables[name], $"variables.{name}");
        _evaluating.Remove(name);
        _evaluatedVariables[name] = value;
        return value?.DeepClone();
    }

    /// <summary>expression := term ('+' term)* ; term := string | number | name '(' args ')' | '(' expression ')'</summary>
    private sealed class Parser(string text, ScriptEvaluator owner)
    {
        private int _pos;

        public JsonNode? ParseAll()
        {
            var value = Expression();
            SkipSpace();
            return _pos == text.Length ? value : throw Error($"unexpected '{text[_pos..]}'");
        }

        private JsonNode? Expression()
        {
            var value = Term();
            while (Peek('+'))
            {
                _pos++;
                var right = Term();
                value = Add(value, right);
            }
            return value;
        }

        private static JsonNode? Add(JsonNode? left, JsonNode? right)
        {
            if (left is JsonValue l && right is JsonValue r && l.TryGetValue<double>(out var a) && r.TryGetValue<double>(out var b))
            {
                return a + b;
            }
            return AsText(left) + AsText(right);
        }

        private static string AsText(JsonNode? node) => node switch
        {
            null => "null",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };

        private JsonNode? Term()
        {
            SkipSpace();
            if (_pos >= text.Length)
            {
                throw Error("expression ends too early");
            }
            var c = text[_pos];
            if (c is '\'' or '"')
            {
                return StringLiteral(c);
            }
            if (c == '(')
            {
                _pos++;
                var inner = Expression();
                Expect(')');
                return inner;
            }
            if (char.IsDigit(c) || c == '-')
            {
                var start = _pos++;
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '.'))
                {
                    _pos++;
                }
                return double.Parse(text[start.._pos], CultureInfo.InvariantCulture);
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                {
                    _pos++;
                }
                var name = text[start.._pos];
                SkipSpace();
                if (!Peek('('))
                {
                    throw Error($"'{name}' is not supported here (only function calls and literals are)");
                }
                _pos++;
                var args = new List<JsonNode?>();
                SkipSpace();
                if (!Peek(')'))
                {
                    args.Add(Expression());
                    while (Peek(','))
                    {
                        _pos++;
                        args.Add(Expression());
                    }
                }
                Expect(')');
                return owner.Call(name, args);
            }
            throw Error($"unexpected '{c}'");
        }

        private string StringLiteral(char quote)
        {
            var sb = new StringBuilder();
            _pos++;
            while (_pos < text.Length && text[_pos] != quote)
            {
                if (text[_pos] == '\\' && _pos + 1 < text.Length)
                {
                    _pos++;
                }
                sb.Append(text[_pos++]);
            }
            if (_pos >= text.Length)
            {
                throw Error("a string is not closed");
            }
            _pos++;
            return sb.ToString();
        }

        private bool Peek(char c)
        {
            SkipSpace();
            return _pos < text.Length && text[_pos] == c;
        }

        private void Expect(char c)
        {
            if (!Peek(c))
            {
                throw Error($"expected '{c}'");
            }
            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private RecipeException Error(string what) => new($"cannot evaluate script '{text.Trim()}': {what}");
    }
}
