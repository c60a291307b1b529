using System.Buffers.Binary;
using Embassy.Media.Images;
using SkiaSharp;

namespace Embassy.Media.Tests;

/// <summary>Issue #38, group 3: what a picture says beyond the picture is taken out losslessly, in every format the
/// server stores (the whole intake is ImageTests.Derivatives_AreUpright_AndCarryNoMetadata).</summary>
public sealed class ImageMetadataTests
{
    private static readonly byte[] Where = "GPS 52.2225 N 21.0083 E, Canon EOS R5 serial 0123456789"u8.ToArray();

    [Fact]
    public void AJpeg_LosesItsExifXmpAndComments_KeepsItsOrientationAndPixels()
    {
        var plain = TestImages.Jpeg(400, 300);
        var withExif = TestImages.WithExif(plain, orientation: 8);
        // And an XMP block and a comment, after the EXIF.
        byte[] xmp = [0xFF, 0xE1, .. Length("http://ns.adobe.com/xap/1.0/\0"u8.Length + Where.Length), .. "http://ns.adobe.com/xap/1.0/\0"u8, .. Where];
        byte[] comment = [0xFF, 0xFE, .. Length(Where.Length), .. Where];
        var exifLength = (withExif[4] << 8) | withExif[5];
        byte[] upload = [.. withExif.AsSpan(0, 4 + exifLength), .. xmp, .. comment, .. withExif.AsSpan(4 + exifLength)];

        var stripped = ImageMetadata.Strip(upload, ".jpg");
        Assert.NotNull(stripped);
        Assert.False(TestImages.Contains(stripped, Where), "XMP or comment kept");
        Assert.False(TestImages.Contains(stripped, "II*\0"u8), "the camera's EXIF kept");
        Assert.True(TestImages.Contains(stripped, plain.AsSpan(plain.Length - 500, 400)), "the compressed picture changed");
        using var codec = SKCodec.Create(new MemoryStream(stripped));
        Assert.Equal(SKEncodedOrigin.LeftBottom, codec.EncodedOrigin); // orientation 8, kept
        using var bitmap = SKBitmap.Decode(stripped);
        Assert.Equal((400, 300), (bitmap.Width, bitmap.Height));

        Assert.Null(ImageMetadata.Strip(plain, ".jpg")); // nothing to take out: left as it is
        Assert.Null(ImageMetadata.Strip(upload.AsSpan(0, 40), ".jpg")); // truncated: left for the intake's checks
    }

    [Fact]
    public void APng_LosesItsExifAndTextChunks()
    {
        var plain = TestImages.Png(64, 48);
        // eXIf and tEXt chunks before the image data, as some editors write them.
        byte[] upload = [.. plain.AsSpan(0, 33), .. Chunk("eXIf", Where), .. Chunk("tEXt", [.. "Comment\0"u8, .. Where]), .. plain.AsSpan(33)];
        using (var before = SKBitmap.Decode(upload))
        {
            Assert.Equal(64, before.Width);
        }
        var stripped = ImageMetadata.Strip(upload, ".png");
        Assert.NotNull(stripped);
        Assert.Equal(plain, stripped);
    }

    [Fact]
    public void AWebP_LosesItsExifAndXmpChunks_AndItsHeaderSaysSo()
    {
        var simple = TestImages.WebP(64, 48); // RIFF, WEBP, one VP8 chunk
        var vp8 = simple.AsSpan(12);
        // The extended form: VP8X (flags: EXIF 0x08, XMP 0x04; canvas 64×48), the picture, EXIF, XMP.
        byte[] header = [0x0C, 0, 0, 0, 63, 0, 0, 47, 0, 0];
        byte[] body = [.. "WEBP"u8, .. Chunk("VP8X", header, littleEndian: true), .. vp8, .. Chunk("EXIF", Where, littleEndian: true), .. Chunk("XMP ", Where, littleEndian: true)];
        byte[] upload = [.. "RIFF"u8, .. LittleEndian(body.Length), .. body];
        var stripped = ImageMetadata.Strip(upload, ".webp");
        Assert.NotNull(stripped);
        Assert.False(TestImages.Contains(stripped, Where));
        Assert.Equal(stripped.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(stripped.AsSpan(4)));
        Assert.Equal(0, stripped[20] & 0x0C); // the VP8X flags no longer promise EXIF or XMP
        using var bitmap = SKBitmap.Decode(stripped);
        Assert.Equal((64, 48), (bitmap.Width, bitmap.Height));
    }

    private static byte[] Length(int payload) => [(byte)((payload + 2) >> 8), (byte)(payload + 2)];

    private static byte[] LittleEndian(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24)];

    private static byte[] Chunk(string type, byte[] data, bool littleEndian = false)
    {
        if (littleEndian)
        {
            return [.. System.Text.Encoding.ASCII.GetBytes(type), .. LittleEndian(data.Length), .. data, .. (data.Length % 2 == 1 ? new byte[] { 0 } : [])];
        }
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, TestImages.Crc32(typed));
        return [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. typed, .. crc];
    }
}
