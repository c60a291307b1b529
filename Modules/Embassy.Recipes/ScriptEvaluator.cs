using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Core;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Microsoft.Extensions.Configuration;

namespace Embassy.Recipes;

/// <summary>
/// Evaluates Orchard's recipe scripts as Orchard does, in Jint: a string value that is wholly
/// <c>[js: expression]</c> or <c>[file:text('path')]</c>. The functions are Orchard's — uuid, base64, html, gzip,
/// variables, parameters, configuration — and the engine has no access to .NET, a time and memory budget, limits on
/// statements and recursion; script text and results are bounded too, so a hostile recipe gets an error that names
/// the script's place, never a crashed or stalled server.
/// </summary>
/// <remarks>
/// uuid() is deterministic: the n-th call for a recipe yields an id derived from the recipe's bytes and n.
/// Importing the same recipe twice thus addresses the same items and converges to the same state,
/// on any server (see docs/adr/0002-recipes.md).
/// </remarks>
public sealed partial class ScriptEvaluator
{
    private readonly JsonObject _variables;
    private readonly Dictionary<string, JsonNode?> _evaluatedVariables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string?> _parameters;
    private readonly IConfiguration _configuration;
    private readonly RecipeFiles _files;
    private readonly byte[] _seed;
    private readonly ScriptLimits _limits;
    private int _uuidCount;
    private int _running;
    private Engine? _jsEngine;
    private Engine? _fileEngine;

    public ScriptEvaluator(JsonObject? variables, IReadOnlyDictionary<string, string?> parameters, IConfiguration configuration,
        RecipeFiles files, byte[] seed, ScriptLimits? limits = null)
    {
        _variables = variables ?? [];
        _parameters = parameters;
        _configuration = configuration;
        _files = files;
        _seed = seed;
        _limits = limits ?? new ScriptLimits();
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

    /// <summary>Whether Orchard would evaluate this string as a script.</summary>
    public static bool IsScript(string text) =>
        text.Length > 3 && text[0] == '[' && text[^1] == ']' &&
        (text.AsSpan(1).TrimStart().StartsWith("js:", StringComparison.Ordinal) ||
         text.AsSpan(1).TrimStart().StartsWith("file:", StringComparison.Ordinal));

    /// <summary>
    /// A string as it must be written into a recipe so that importing it gives the string back unchanged: text that
    /// looks like a script becomes a script that returns that text as a literal (and so never runs).
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsScript(text) ? $"[js: {JsonSerializer.Serialize(text)}]" : text;
    }

    /// <summary>Escapes (<see cref="Escape"/>) every string in <paramref name="node"/>, in place: for writing recipes.</summary>
    public static void EscapeAll(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text) && IsScript(text))
                    {
                        obj[key] = Escape(text);
                    }
                    else
                    {
                        EscapeAll(obj[key]);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text) && IsScript(text))
                    {
                        array[i] = Escape(text);
                    }
                    else
                    {
                        EscapeAll(array[i]);
                    }
                }
                break;
        }
    }

    private JsonNode? EvaluateScript(string text)
    {
        var body = text[1..^1].TrimStart();
        var isFile = body.StartsWith("file:", StringComparison.Ordinal);
        var code = isFile ? body[5..] : body[3..];
        if (code.Length > _limits.MaxScriptLength)
        {
            throw new RecipeException($"the script is longer than {_limits.MaxScriptLength:N0} characters");
        }
        if (Nesting(code) > _limits.MaxNesting)
        {
            throw new RecipeException($"the script nests brackets more than {_limits.MaxNesting} deep");
        }
        // Most of Orchard's scripts are a single lookup (`parameters('AdminUserId')`, `variables('x')`, `uuid()`): those
        // are answered by the same functions without starting the engine (why, measured: docs/adr/0002-recipes.md).
        if (!isFile && SimpleCall().Match(code) is { Success: true } call)
        {
            var argument = call.Groups["arg"].Value;
            return call.Groups["fn"].Value switch
            {
                "uuid" when !call.Groups["arg"].Success => JsonValue.Create(NextUuid()),
                "parameters" when call.Groups["arg"].Success => _parameters.TryGetValue(argument, out var parameter) && parameter is not null ? JsonValue.Create(parameter) : null,
                "variables" when call.Groups["arg"].Success => Variable(argument)?.DeepClone(),
                _ => EvaluateInEngine(code, isFile),
            };
        }
        return EvaluateInEngine(code, isFile);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(?<fn>uuid|parameters|variables)\s*\(\s*(?:'(?<arg>[A-Za-z0-9_.:-]*)'\s*)?\)\s*;?\s*$")]
    private static partial System.Text.RegularExpressions.Regex SimpleCall();

    private string NextUuid() => IdGenerator.FromSeed([.. _seed, .. Encoding.UTF8.GetBytes($":{_uuidCount++}")]);

    private JsonNode? EvaluateInEngine(string code, bool isFile)
    {
        // One engine per recipe and kind (creating Jint's built-ins for each of a recipe's scripts costs memory that
        // stays); a script evaluated while another runs (a variable read by a script) gets an engine of its own.
        var engine = _running > 0 ? NewEngine(isFile) : isFile ? _fileEngine ??= NewEngine(true) : _jsEngine ??= NewEngine(false);
        JsValue result;
        _running++;
        try
        {
            result = engine.Evaluate(code);
        }
        catch (RecipeException)
        {
            throw;
        }
        catch (TimeoutException)
        {
            throw new RecipeException($"the script ran longer than {_limits.Timeout.TotalSeconds:0.#} s");
        }
        catch (MemoryLimitExceededException)
        {
            throw new RecipeException($"the script used more than {_limits.MaxMemoryBytes / 1048576} MB");
        }
        catch (StatementsCountOverflowException)
        {
            throw new RecipeException($"the script ran more than {_limits.MaxStatements:N0} statements");
        }
        catch (RecursionDepthOverflowException)
        {
            throw new RecipeException($"the script recursed deeper than {_limits.MaxRecursion}");
        }
        catch (JavaScriptException ex)
        {
            throw new RecipeException($"the script failed: {ex.Message}");
        }
        catch (Exception ex) when (ex is Acornima.ParseErrorException or JintException)
        {
            throw new RecipeException($"the script is not valid JavaScript: {ex.Message}");
        }
        finally
        {
            _running--;
        }
        return ToJson(engine, result);
    }

    private Engine NewEngine(bool isFile)
    {
        // No CLR access (Jint gives none unless AllowClr is called), strict mode, and every budget bounded.
        var engine = new Engine(options => options
            .Strict()
            .TimeoutInterval(_limits.Timeout)
            .LimitMemory(_limits.MaxMemoryBytes)
            .MaxStatements(_limits.MaxStatements)
            .LimitRecursion(_limits.MaxRecursion)
            .DisableStringCompilation()
            .Culture(CultureInfo.InvariantCulture)
            .LocalTimeZone(TimeZoneInfo.Utc));
        if (isFile)
        {
            // [file:text('path')]: the one file function Orchard's recipes use; paths stay inside the recipe's folder.
            engine.SetValue("text", new Func<string, string>(relative => File.ReadAllText(_files.Resolve(relative), Encoding.UTF8)));
            return engine;
        }
        engine.SetValue("uuid", new Func<string>(NextUuid));
        engine.SetValue("base64", new Func<string, string>(Base64));
        engine.SetValue("html", new Func<string, string>(WebUtility.HtmlDecode));
        engine.SetValue("gzip", new Func<string, string>(GZip));
        engine.SetValue("variables", new Func<string, JsValue>(name => FromJson(engine, Variable(name))));
        engine.SetValue("parameters", new Func<string, string?>(name => _parameters.TryGetValue(name, out var value) ? value : null));
        engine.SetValue("configuration", new Func<string, JsValue, JsValue>((key, fallback) => Configuration(key) is { } value ? value : fallback));
        // Orchard's getUrlPrefix(path): the site's path base ("/" here: one site, at the root) followed by the path.
        engine.SetValue("getUrlPrefix", new Func<JsValue, string>(path =>
            path.IsString() && path.AsString().Trim(' ', '/') is { Length: > 0 } trimmed ? "/" + trimmed : "/"));
        // Workflows are Orchard runtime features that are not run here (WorkflowType steps are skipped, with the reason),
        // so a recipe that links a form to a workflow gets an empty token rather than failing.
        engine.SetValue("createWorkflowToken", new Func<JsValue, JsValue, JsValue, string>((_, _, _) => ""));
        return engine;
    }

    private static string Base64(string encoded)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            throw new RecipeException("base64() was given a string that is not Base64");
        }
    }

    /// <summary>Orchard's gzip(): Base64 of a gzip stream in, Base64 of what it holds out (at most 16 MB).</summary>
    private static string GZip(string encoded)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(encoded)), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > 16 * 1024 * 1024)
                {
                    throw new RecipeException("gzip() would produce more than 16 MB");
                }
            }
            return Convert.ToBase64String(output.ToArray());
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            throw new RecipeException("gzip() was given a string that is not Base64 of a gzip stream");
        }
    }

    /// <summary>A configuration value, only for keys the operator allowed (Embassy:Recipes:ConfigurationKeys); else null.</summary>
    private string? Configuration(string key)
    {
        var colon = key.Replace('_', ':');
        if (!_limits.ConfigurationKeys.Contains(key) && !_limits.ConfigurationKeys.Contains(colon))
        {
            return null;
        }
        return _configuration[key] ?? _configuration[colon];
    }

    /// <summary>Variables are evaluated the first time they are read, then reused across steps (as in Orchard).</summary>
    private JsonNode? Variable(string name)
    {
        if (_evaluatedVariables.TryGetValue(name, out var cached))
        {
            return cached;
        }
        if (!_variables.ContainsKey(name))
        {
            throw new RecipeException($"variable '{name}' is not declared in the recipe's \"variables\"");
        }
        if (!_evaluating.Add(name))
        {
            throw new RecipeException($"variable '{name}' refers to itself");
        }
        if (_evaluating.Count > _limits.MaxVariableDepth)
        {
            throw new RecipeException($"variables refer to each other more than {_limits.MaxVariableDepth} deep");
        }
        try
        {
            var value = Evaluate(_variables[name], $"variables.{name}");
            _evaluatedVariables[name] = value;
            return value;
        }
        finally
        {
            _evaluating.Remove(name);
        }
    }

    private static JsValue FromJson(Engine engine, JsonNode? node) => node switch
    {
        null => JsValue.Null,
        JsonValue v when v.TryGetValue<string>(out var s) => new JsString(s),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => new JsNumber(v.GetValue<double>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? JsBoolean.True : JsBoolean.False,
        _ => new Jint.Native.Json.JsonParser(engine).Parse(node.ToJsonString()),
    };

    private JsonNode? ToJson(Engine engine, JsValue value)
    {
        JsonNode? node = value switch
        {
            _ when value.IsNull() || value.IsUndefined() => null,
            _ when value.IsString() => JsonValue.Create(value.AsString()),
            _ when value.IsBoolean() => JsonValue.Create(value.AsBoolean()),
            _ when value.IsNumber() => double.IsFinite(value.AsNumber()) ? JsonValue.Create(value.AsNumber()) : null,
            _ when value.IsDate() => JsonValue.Create(value.AsDate().ToDateTime().ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
            _ => JsonNode.Parse(new Jint.Native.Json.JsonSerializer(engine).Serialize(value).ToString()),
        };
        var length = node is JsonValue text && text.TryGetValue<string>(out var s) ? s.Length : node?.ToJsonString().Length ?? 0;
        if (length > _limits.MaxResultLength)
        {
            throw new RecipeException($"the script's value is longer than {_limits.MaxResultLength:N0} characters");
        }
        return node;
    }

    /// <summary>The deepest nesting of brackets (strings included: an over-estimate is safe).</summary>
    private static int Nesting(string code)
    {
        int depth = 0, max = 0;
        foreach (var c in code)
        {
            if (c is '(' or '[' or '{')
            {
                max = Math.Max(max, ++depth);
            }
            else if (c is ')' or ']' or '}')
            {
                depth = Math.Max(0, depth - 1);
            }
        }
        return max;
    }
}
