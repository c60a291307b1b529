using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.MobileApi;
using Embassy.MobileApi.Json;
using Embassy.MobileApi.OpenApi;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Testing;

/// <summary>
/// Every response of the public API (/api, /media) that a test makes is checked against the OpenAPI document the
/// server publishes at that moment: the route and status must be declared, and the body must match the declared schema
/// both ways — every required property there, and no property the schema does not declare (objects are checked as if
/// they said <c>unevaluatedProperties: false</c>), formats (date-time) included. A test whose server answered outside
/// the contract fails when its server is disposed, naming each mismatch.
/// </summary>
public sealed class ApiContract : IStartupFilter
{
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private (long Version, JsonObject Document)? _document;

    public IReadOnlyCollection<string> Violations => _violations;

    /// <summary>The violations seen so far, cleared: for a test that provokes one on purpose.</summary>
    public IReadOnlyList<string> TakeViolations()
    {
        var taken = new List<string>();
        while (_violations.TryDequeue(out var violation))
        {
            taken.Add(violation);
        }
        return taken;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(CheckAsync);
        next(app);
    };

    /// <summary>Throws when any response broke the contract.</summary>
    public void ThrowIfViolated()
    {
        if (!_violations.IsEmpty)
        {
            throw new Xunit.Sdk.XunitException("Responses outside the OpenAPI document:\n" + string.Join("\n", _violations.Distinct().Take(20)));
        }
    }

    private async Task CheckAsync(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/media/", StringComparison.Ordinal))
        {
            await next();
            return;
        }
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
        }
        buffer.Position = 0;
        if (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client left (a browser navigating on, 499): no response reached anyone, there is nothing to check
        }
        try
        {
            await CheckResponseAsync(context, path, buffer);
        }
#pragma warning disable CA1031 // a checker must not break the response it checks: the failure is reported instead
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _violations.Enqueue($"{context.Request.Method} {path}: the contract check failed: {ex.Message}");
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private async Task CheckResponseAsync(HttpContext context, string path, MemoryStream body)
    {
        var document = await DocumentAsync(context.RequestServices);
        var status = context.Response.StatusCode;
        var where = $"{context.Request.Method} {path}{context.Request.QueryString} → {status}";
        var method = HttpMethods.IsHead(context.Request.Method) && !path.StartsWith("/media/", StringComparison.Ordinal) ? "get" : context.Request.Method.ToLowerInvariant();
        var operation = Operation(document, path)?[method] as JsonObject;
        if (operation is null)
        {
            // An unknown type in /api/v1/content/{type} is refused with the document's 400; routes nobody maps are a 404.
            if (status == 404 || (status == 400 && path.StartsWith("/api/v1/content/", StringComparison.Ordinal)))
            {
                CheckBody(document, "Problem", body, where, allowEmpty: status == 404);
                return;
            }
            _violations.Enqueue($"{where}: the route is not in the document");
            return;
        }
        var declared = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (declared is null)
        {
            _violations.Enqueue($"{where}: status {status} is not declared");
            return;
        }
        var response = Resolve(document, declared);
        if (response["content"] is not JsonObject content || HttpMethods.IsHead(context.Request.Method) || status == 304)
        {
            return;
        }
        var (mediaType, media) = content.First();
        var actualType = context.Response.ContentType?.Split(';')[0].Trim() ?? "";
        if (!string.Equals(actualType, mediaType, StringComparison.OrdinalIgnoreCase) && mediaType != "application/octet-stream")
        {
            _violations.Enqueue($"{where}: Content-Type {actualType}, declared {mediaType}");
            return;
        }
        if (mediaType.EndsWith("json", StringComparison.Ordinal) && media?["schema"] is JsonObject schema)
        {
            CheckBody(document, schema, body, where, allowEmpty: false, context.Response.Headers.ContentEncoding.ToString());
        }
    }

    private void CheckBody(JsonObject document, string schemaName, MemoryStream body, string where, bool allowEmpty) =>
        CheckBody(document, new JsonObject { ["$ref"] = "#/components/schemas/" + schemaName }, body, where, allowEmpty);

    private static byte[] Decoded(MemoryStream body, string? encoding)
    {
        using Stream? decoder = encoding switch
        {
            "br" => new System.IO.Compression.BrotliStream(new MemoryStream(body.ToArray()), System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(new MemoryStream(body.ToArray()), System.IO.Compression.CompressionMode.Decompress),
            _ => null,
        };
        if (decoder is null)
        {
            return body.ToArray();
        }
        using var plain = new MemoryStream();
        decoder.CopyTo(plain);
        return plain.ToArray();
    }

    private void CheckBody(JsonObject document, JsonObject schema, MemoryStream body, string where, bool allowEmpty, string? encoding = null)
    {
        if (body.Length == 0)
        {
            if (!allowEmpty)
            {
                _violations.Enqueue($"{where}: no body");
            }
            return;
        }
        var errors = Validate(document, schema, Decoded(body, encoding));
        if (errors.Count > 0)
        {
            _violations.Enqueue($"{where}: the body does not match {schema.ToJsonString()}: {string.Join("; ", errors.Take(8))}");
        }
    }

    /// <summary>What is wrong with <paramref name="json"/> as an instance of the document's <paramref name="schema"/> (empty: nothing).</summary>
    public IReadOnlyList<string> Validate(JsonObject document, JsonObject schema, ReadOnlyMemory<byte> json)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(schema);
        using var parsed = JsonDocument.Parse(json);
        var results = Compile(document, schema).Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return results.IsValid
            ? []
            : (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")).ToList();
    }

    /// <summary>The document's schemas as one JSON Schema (2020-12), strict about undeclared properties.</summary>
    private JsonSchema Compile(JsonObject document, JsonObject target)
    {
        var key = target.ToJsonString() + "|" + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(document);
        return _schemas.GetOrAdd(key, _ =>
        {
            var defs = document["components"]!["schemas"]!.DeepClone().AsObject();
            Strict(defs);
            var root = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$defs"] = defs,
                ["allOf"] = new JsonArray(target.DeepClone()),
            };
            var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
            return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://contract.test/{Guid.NewGuid():N}"));
        });
    }

    private static void Strict(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject && obj["additionalProperties"] is null)
                {
                    obj["unevaluatedProperties"] = false;
                }
                obj.Remove("discriminator"); // OpenAPI's, not JSON Schema's: oneOf alone decides
                foreach (var (_, value) in obj.ToList())
                {
                    Strict(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strict(item);
                }
                break;
        }
    }

    private async Task<JsonObject> DocumentAsync(IServiceProvider services)
    {
        var schema = await services.GetRequiredService<ApiSchemaProvider>().GetAsync(CancellationToken.None);
        if (_document is { } current && current.Version == schema.DefinitionsVersion)
        {
            return current.Document;
        }
        var document = MobileApiDocument.Build(schema, services.GetRequiredService<IOptions<MobileApiOptions>>().Value,
            services.GetRequiredService<Embassy.MobileApi.Contract.ResponseContract>(), "http://localhost");
        _document = (schema.DefinitionsVersion, document);
        return document;
    }

    /// <summary>The document's path item for a request path: a path as written first, then one with {parameters}
    /// (one segment each; /media/{path} takes the rest).</summary>
    private static JsonObject? Operation(JsonObject document, string path)
    {
        var paths = document["paths"]!.AsObject();
        if (paths[path] is JsonObject exact)
        {
            return exact;
        }
        var segments = path.Split('/');
        foreach (var (template, item) in paths)
        {
            var parts = template.Split('/');
            if (template == "/media/{path}" ? path.StartsWith("/media/", StringComparison.Ordinal) :
                parts.Length == segments.Length && parts.Zip(segments).All(p => p.First.StartsWith('{') || p.First == Uri.EscapeDataString(Uri.UnescapeDataString(p.Second))))
            {
                if (template.Contains('{', StringComparison.Ordinal))
                {
                    return item as JsonObject;
                }
            }
        }
        return null;
    }

    /// <summary>A node of the document with its $ref followed (to the end of a chain).</summary>
    public static JsonObject Resolve(JsonObject document, JsonNode node)
    {
        var obj = node.AsObject();
        if ((string?)obj["$ref"] is { } reference)
        {
            var parts = reference.TrimStart('#', '/').Split('/');
            JsonNode? target = document;
            foreach (var part in parts)
            {
                target = target?[part];
            }
            return Resolve(document, target!);
        }
        return obj;
    }
}
