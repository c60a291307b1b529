using Embassy.Media.Services;

namespace Embassy.Media.Tests;

/// <summary>The media rules that need no server: paths and file signatures.</summary>
public sealed class PureRulesTests
{
    [Theory]
    [InlineData("news/photo.jpg", "news/photo.jpg")]
    [InlineData("/news//photo.jpg/", "news/photo.jpg")]
    [InlineData("news\\photo.jpg", "news/photo.jpg")]
    public void MediaPaths_AreNormalized(string path, string expected) => Assert.Equal(expected, MediaPath.Normalize(path, out _));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("../etc/passwd", "climb")]
    [InlineData("news/./photo.jpg", "climb")]
    [InlineData("news/photo.jpg.", "climb")]
    [InlineData("news/ photo.jpg", "climb")]
    [InlineData("news/.hidden", "hidden")]
    [InlineData("news/a:b.jpg", "not allowed")]
    [InlineData("news/a\u0001.jpg", "not allowed")]
    public void HostileMediaPaths_AreRefused_WithTheReason(string path, string reason)
    {
        Assert.Null(MediaPath.Normalize(path, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void APathOver512Characters_IsRefused() =>
        Assert.Null(MediaPath.Normalize(string.Join('/', Enumerable.Repeat(new string('a', 100), 6)), out _));

    [Theory]
    [InlineData(".jpg", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, true)]
    [InlineData(".JPG", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, true)]
    [InlineData(".png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, true)]
    [InlineData(".mp4", new byte[] { 0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70 }, true)]
    [InlineData(".pdf", new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D }, true)]
    [InlineData(".mp4", new byte[] { 0x4D, 0x5A, 0x90, 0x00, 0x03, 0, 0, 0 }, false)] // an .exe renamed .mp4
    [InlineData(".jpg", new byte[] { 0x89, 0x50, 0x4E, 0x47 }, false)]               // a PNG named .jpg
    [InlineData(".exe", new byte[] { 0x4D, 0x5A }, false)]                            // not an allowed kind at all
    [InlineData(".jpg", new byte[0], false)]                                          // empty
    public void FileSignatures_MustAgreeWithTheExtension(string extension, byte[] header, bool matches) =>
        Assert.Equal(matches, FileSignatures.Matches(extension, header));
}
