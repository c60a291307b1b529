using Embassy.Testing;
namespace Embassy.Testing;

/// <summary>
/// What every <see cref="EmbassyAppFactory"/> site starts with (<see cref="Paths.TestContentRecipe"/>, imported by first-run
/// setup instead of the product's starter content): twelve published items in Polish and English, each Polish item with
/// its English translation. Their dates are chosen against <see cref="EmbassyAppFactory.Today"/> (2026-06-01).
/// </summary>
public static class TestContent
{
    public const int ItemsPerCulture = 12;

    /// <summary>The ids of the published items of the test content recipe.</summary>
    public static IReadOnlyList<string> PublishedIds { get; } = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Paths.TestContentRecipe),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!
        ["steps"]!.AsArray().Where(s => string.Equals((string?)s!["name"], "content", StringComparison.OrdinalIgnoreCase))
        .SelectMany(s => s!["data"]!.AsArray()).Where(i => (bool?)i!["Published"] == true).Select(i => (string)i!["ContentItemId"]!).ToList();

    public static readonly (string Id, string Title) NewsAPolish = ("15hdrsw67qb6zchwdzjg675hh7", "Wiadomość A");
    public static readonly (string Id, string Title) NewsAEnglish = ("w1sv1pqygpkc2yg6r62ck10jpg", "News A");
    public const string NewsBPolishId = "9b91ep2txhym4q364v73a40k28";
    public static readonly (string Id, string Title) NewsBPolish = (NewsBPolishId, "Wiadomość B");
    public static readonly (string Id, string Title) NewsBEnglish = ("8jkdw14wnrvgtc1ryfr7efcg4f", "News B");
    public const string NewsBEnglishPath = "test/news-b-en";

    /// <summary>Starts 2026-07-04 16:00 UTC: upcoming on the tests' clock.</summary>
    public static readonly (string Id, string Title) EventEnglish = ("6p2wm03rcf6pahv3b4vnycv9tk", "Test event");

    /// <summary>Expires 2026-12-31: active on the tests' clock.</summary>
    public static readonly (string Id, string Title) AlertEnglish = ("j82mm4d1650et93nntt1y1316v", "Test alert");

    /// <summary>The English page, with two BagPart sections ("Mission", "History").</summary>
    public const string PageEnglishPath = "test/page-a-en";

    public const string OfficeAPolishAlias = "test-office-a-pl";
    public const string OfficeBEnglishAlias = "test-office-b-en";
    public const string OfficeBEnglishTitle = "Office B";
    public const string OfficeBEnglishAddress = "ul. Stolarska 9, 31-043 Kraków";
}
