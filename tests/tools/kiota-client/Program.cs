// Uses the generated client's typed request builders and query parameters only (no URL is written by hand):
// pages a list by cursor, reads an item in another culture, walks an initial sync to its token, waits for the test to
// publish something, runs a delta, and sends a bad limit. One line per step on stdout, for GeneratedClientTests.
using Embassy.Generated;
using Embassy.Generated.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using ListCulture = Embassy.Generated.Api.V1.Content.News.GetCultureQueryParameterType;
using ItemCulture = Embassy.Generated.Api.V1.Items.Item.GetCultureQueryParameterType;

using var http = new HttpClient();
var client = new EmbassyApi(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = args[0] });

var ids = new List<string>();
string? cursor = null;
var pages = 0;
do
{
    var page = await client.Api.V1.Content.News.GetAsync(c =>
    {
        c.QueryParameters.Limit = 1;
        c.QueryParameters.CultureAsGetCultureQueryParameterType = ListCulture.En;
        c.QueryParameters.Cursor = cursor;
    });
    pages++;
    ids.AddRange(page!.Items!.Select(i => i.Id!));
    cursor = page.Next;
}
while (cursor is not null && pages < 200);
Console.WriteLine($"LIST pages={pages} items={ids.Count} distinct={ids.Distinct().Count()}");

foreach (var id in ids)
{
    var english = (await client.Api.V1.Items[id].GetAsync())!.NewsItem!;
    if (english.Translations?.AdditionalData.ContainsKey("pl") != true)
    {
        continue;
    }
    var polish = (await client.Api.V1.Items[id].GetAsync(c => c.QueryParameters.CultureAsGetCultureQueryParameterType = ItemCulture.Pl))!.NewsItem!;
    Console.WriteLine($"ITEM asked={id} culture={polish.Culture} same={polish.Id == (string)english.Translations.AdditionalData["pl"]} summary={polish.Fields!.Summary is not null}");
    break;
}

string? token = null;
cursor = null;
pages = 0;
var synced = 0;
var typed = 0;
while (true)
{
    var page = await client.Api.V1.Sync.GetAsync(c =>
    {
        c.QueryParameters.Limit = 5;
        c.QueryParameters.Cursor = cursor;
    });
    pages++;
    synced += page!.Items!.Count;
    typed += page.Items.Count(i => i.AlertListItem?.Fields is not null || i.NewsListItem?.Fields is not null || i.EventListItem?.Fields is not null ||
                                   i.PageListItem?.Fields is not null || i.FaqListItem?.Fields is not null || i.OfficeListItem?.Fields is not null ||
                                   i.ConsularServiceListItem?.Fields is not null || i.PageSectionListItem?.Fields is not null || i.VideoListItem?.Fields is not null);
    if (page.Next is null)
    {
        token = page.Token;
        break;
    }
    cursor = page.Next;
}
Console.WriteLine($"SYNC pages={pages} items={synced} typed={typed} token={(token is null ? "none" : "yes")}");

Console.ReadLine(); // the test publishes an alert, then lets us go on
for (var attempt = 0; attempt < 50; attempt++)
{
    var delta = await client.Api.V1.Sync.GetAsync(c => c.QueryParameters.Token = token);
    var alerts = delta!.Items!.Where(i => i.AlertListItem is not null).Select(i => i.AlertListItem!).ToList();
    if (alerts.Count > 0)
    {
        Console.WriteLine($"DELTA mode={delta.Mode} alert={alerts[0].Title} severity={alerts[0].Fields!.Severity}");
        break;
    }
    await Task.Delay(100);
}

try
{
    await client.Api.V1.Content.News.GetAsync(c => c.QueryParameters.Limit = 0);
    Console.WriteLine("PROBLEM none");
}
catch (Problem problem)
{
    Console.WriteLine($"PROBLEM status={problem.Status} title={problem.Title} about={string.Join(",", problem.Errors!.AdditionalData.Keys)} traceId={problem.TraceId is not null}");
}
