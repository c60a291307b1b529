using Embassy.MobileApi.Json;
using Microsoft.AspNetCore.Http;

namespace Embassy.MobileApi.Tests;

/// <summary>The API's parameter rules, without a server: each bad value is named, nothing throws.</summary>
public sealed class ApiRequestTests
{
    private static readonly ApiLocalization Localization = new(["pl", "en"], new Dictionary<string, IReadOnlyList<string>> { ["pl"] = ["en"], ["en"] = ["pl"] });

    private static ApiRequest Request(string query, string? acceptLanguage = null)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        if (acceptLanguage is not null)
        {
            http.Request.Headers.AcceptLanguage = acceptLanguage;
        }
        return new ApiRequest(http, new MobileApiOptions());
    }

    [Theory]
    [InlineData("", 20, true)]
    [InlineData("?limit=5", 5, true)]
    [InlineData("?limit=100", 100, true)]
    [InlineData("?limit=0", 20, false)]
    [InlineData("?limit=101", 20, false)]
    [InlineData("?limit=-1", 20, false)]
    [InlineData("?limit=1e3", 20, false)]
    [InlineData("?limit=5&limit=6", 20, false)]
    public void Limit_IsAWholeNumberWithinItsBounds(string query, int expected, bool valid)
    {
        var request = Request(query);
        Assert.Equal(expected, request.Limit(20, 100));
        Assert.Equal(valid, request.IsValid);
    }

    [Theory]
    [InlineData("?culture=en", null, "en", new[] { "en", "pl" })]
    [InlineData("?culture=EN-us", null, "en", new[] { "en", "pl" })]
    [InlineData("", "de-DE, en;q=0.8, pl;q=0.9", "pl", new[] { "pl", "en" })]
    [InlineData("", "de, fr;q=0.5", "pl", new[] { "pl", "en" })]
    [InlineData("", "en;q=0", "pl", new[] { "pl", "en" })]
    public void Culture_ComesFromTheParameter_ThenAcceptLanguage_ThenTheDefault(string query, string? header, string culture, string[] chain)
    {
        var request = Request(query, header);
        var (actual, actualChain) = request.Culture(Localization);
        Assert.Equal(culture, actual);
        Assert.Equal(chain, actualChain);
        Assert.True(request.IsValid);
    }

    [Fact]
    public void AnUnknownCulture_IsAnError_ThatNamesTheCulturesServed()
    {
        var request = Request("?culture=de");
        request.Culture(Localization);
        Assert.False(request.IsValid);
        Assert.Null(request.OptionalCulture());
    }

    [Fact]
    public void Types_AndFields_AreCheckedLists()
    {
        Assert.Equal(["Alert", "News"], Request("?types=News,Alert,News").Types(["News", "Alert"]));
        var unknown = Request("?types=News,Secret");
        unknown.Types(["News"]);
        Assert.False(unknown.IsValid);
        Assert.Equal(["title", "summary"], Request("?fields=title, summary").Fields()!.Order().Reverse());
        var tooMany = Request("?fields=" + string.Join(',', Enumerable.Range(0, 51).Select(i => $"f{i}")));
        tooMany.Fields();
        Assert.False(tooMany.IsValid);
        var flag = Request("?upcoming=yes");
        flag.Flag("upcoming");
        Assert.False(flag.IsValid);
    }
}
