namespace Embassy.MobileApi.Tests;

/// <summary>Cursors and sync tokens: what the app gets back is what it sent, and nothing else passes for one.</summary>
public sealed class OpaqueTokenTests
{
    private sealed record Cursor(string AfterId, int Page);

    [Fact]
    public void AToken_RoundTrips_ForItsKindOnly()
    {
        var token = OpaqueToken.Encode("list", new Cursor("abc", 3));
        Assert.True(OpaqueToken.TryDecode<Cursor>(token, "list", "afterId", out var cursor));
        Assert.Equal(new Cursor("abc", 3), cursor);
        Assert.False(OpaqueToken.TryDecode<Cursor>(token, "sync", "afterId", out _)); // another kind: refused
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1.")]
    [InlineData("v2.eyJ9.abc")]
    [InlineData("not a token")]
    public void Garbage_IsRefused(string? token) => Assert.False(OpaqueToken.TryDecode<Cursor>(token, "list", "afterId", out _));

    [Fact]
    public void AnEditedToken_IsRefused()
    {
        var token = OpaqueToken.Encode("list", new Cursor("abc", 3));
        var dot = token.LastIndexOf('.');
        var body = token[3..dot];
        var edited = "v1." + body[..^2] + (body[^2] == 'A' ? "B" : "A") + body[^1] + token[dot..];
        Assert.False(OpaqueToken.TryDecode<Cursor>(edited, "list", "afterId", out _));
        Assert.False(OpaqueToken.TryDecode<Cursor>(new string('x', 2000), "list", "afterId", out _));
    }
}
