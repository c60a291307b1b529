using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Embassy.Recipes;

/// <summary>Reads a recipe as Orchard does: comments skipped, trailing commas allowed; within size and depth limits.</summary>
public sealed class RecipeReader(IOptions<RecipeOptions> options)
{
    public async Task<JsonObject> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new RecipeException($"recipe file '{path}' does not exist");
        }
        CheckSize(file.Length, file.Name);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return await ParseAsync(stream, file.Name, cancellationToken);
    }

    public async Task<JsonObject> ReadAsync(Stream stream, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            CheckSize(stream.Length - stream.Position, name);
        }
        // A non-seekable stream is bounded while read, so a huge upload fails early rather than filling memory.
        await using var bounded = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            CheckSize(bounded.Length + read, name);
            bounded.Write(buffer, 0, read);
        }
        bounded.Position = 0;
        return await ParseAsync(bounded, name, cancellationToken);
    }

    private void CheckSize(long length, string name)
    {
        var max = options.Value.MaxSizeBytes;
        if (length > max)
        {
            throw new RecipeException(
                $"recipe '{name}' is {length / 1048576.0:0.0} MB, more than the {max / 1048576.0:0.#} MB limit (Embassy:Recipes:MaxSizeBytes)");
        }
    }

    private async Task<JsonObject> ParseAsync(Stream stream, string name, CancellationToken cancellationToken)
    {
        var documentOptions = new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = options.Value.MaxDepth,
        };
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(stream, new JsonNodeOptions { PropertyNameCaseInsensitive = false }, documentOptions, cancellationToken);
        }
        catch (JsonException ex)
        {
            var message = ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"nesting is deeper than {options.Value.MaxDepth} levels (Embassy:Recipes:MaxDepth) at line {ex.LineNumber + 1}"
                : $"{ex.Message.Split(" Path:", 2)[0]} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})";
            throw new RecipeException($"recipe '{name}' is not valid JSON: {message}", ex);
        }
        if (node is not JsonObject recipe)
        {
            throw new RecipeException($"recipe '{name}' must be a JSON object with a \"steps\" array");
        }
        if (Property(recipe, "steps") is not JsonArray)
        {
            throw new RecipeException($"recipe '{name}' has no \"steps\" array");
        }
        return recipe;
    }

    /// <summary>Orchard matches recipe property names without regard to case.</summary>
    public static JsonNode? Property(JsonObject json, string name)
    {
        ArgumentNullException.ThrowIfNull(json);
        foreach (var (key, value) in json)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }
}
