using System.Text.Json;
using System.Text.Json.Nodes;

namespace Embassy.Admin.Editing;

/// <summary>One changed value between two versions, named as the editor form names it.</summary>
public sealed record DiffLine(string Label, string? Before, string? After);

/// <summary>
/// A readable difference between two versions of an item: every leaf value of the Orchard JSON, compared by
/// path, and labelled with the form's own labels (Title, Summary, Body …) where the form shows the value.
/// </summary>
public static class VersionDiff
{
    public static IReadOnlyList<DiffLine> Compare(JsonObject before, JsonObject after, IReadOnlyList<EditorInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(inputs);
        var old = Flatten(before);
        var now = Flatten(after);
        var lines = new List<DiffLine>();
        foreach (var path in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var a = old.GetValueOrDefault(path);
            var b = now.GetValueOrDefault(path);
            if (a != b)
            {
                lines.Add(new DiffLine(Label(path, inputs), a, b));
            }
        }
        return lines;
    }

    private static string Label(string path, IReadOnlyList<EditorInput> inputs)
    {
        var input = inputs.Where(i => path == i.Name || path.StartsWith(i.Name + ".", StringComparison.Ordinal) || path.StartsWith(i.Name + "[", StringComparison.Ordinal))
            .MaxBy(i => i.Name.Length);
        return input is null ? path : input.Label + path[input.Name.Length..] switch { "" or ".Text" or ".Html" or ".Markdown" or ".Value" => "", var rest => $" ({rest.TrimStart('.')})" };
    }

    private static Dictionary<string, string> Flatten(JsonNode node)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", values);
        return values;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    Walk(child, path.Length == 0 ? key : $"{path}.{key}", values);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", values);
                }
                break;
            case JsonValue value:
                values[path] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                break;
        }
    }
}
