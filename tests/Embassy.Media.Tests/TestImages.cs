using SkiaSharp;

namespace Embassy.Media.Tests;

/// <summary>Images made for the tests: photos with a gradient, EXIF with GPS and an orientation, bombs and truncated files.</summary>
internal static class TestImages
{
    /// <summary>A JPEG of <paramref name="width"/>×<paramref name="height"/> with a diagonal gradient and a red square in its top-left corner.</summary>
    public static byte[] Jpeg(int width, int height, int quality = 90) => Encode(width, height, SKEncodedImageFormat.Jpeg, quality);

    public static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png, 100);

    public static byte[] WebP(int width, int height) => Encode(width, height, SKEncodedImageFormat.Webp, 80);

    /// <summary>A 2×2 GIF (Skia encodes no GIF): black, white, white, black.</summary>
    public static byte[] Gif() => Convert.FromBase64String("R0lGODlhAgACAPAAAAAAAP///yH5BAAAAAAALAAAAAACAAIAAAIDBBIFADs=");

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, int quality)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        using (var paint = new SKPaint())
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.SteelBlue, SKColors.Gold], SKShaderTileMode.Clamp);
            surface.Canvas.DrawRect(0, 0, width, height, paint);
            paint.Shader = null;
            paint.Color = SKColors.Red;
            surface.Canvas.DrawRect(0, 0, width / 8f, height / 8f, paint);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF block (APP1) right after its start: an orientation (1–8) and a GPS
    /// latitude (52° 13′ 21″ N), as a phone camera writes them.
    /// </summary>
    public static byte[] WithExif(byte[] jpeg, ushort orientation)
    {
        var tiff = new List<byte>();
        void U16(int v) => tiff.AddRange([(byte)v, (byte)(v >> 8)]);
        void U32(int v) => tiff.AddRange([(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)]);
        tiff.AddRange("II"u8.ToArray());
        U16(42);
        U32(8);
        // IFD0 at 8: Orientation, and the GPS IFD's offset.
        U16(2);
        U16(0x0112); U16(3); U32(1); U16(orientation); U16(0);
        U16(0x8825); U16(4); U32(1); U32(38);
        U32(0);
        // GPS IFD at 38: latitude reference and latitude (three rationals at 68).
        U16(2);
        U16(0x0001); U16(2); U32(2); tiff.AddRange("N\0\0\0"u8.ToArray());
        U16(0x0002); U16(5); U32(3); U32(68);
        U32(0);
        foreach (var value in new[] { 52, 13, 21 })
        {
            U32(value);
            U32(1);
        }
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        return [0xFF, 0xD8, 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg.AsSpan(2)];
    }

    /// <summary>A small JPEG whose header claims <paramref name="width"/>×<paramref name="height"/> pixels (a decompression bomb).</summary>
    public static byte[] Bomb(int width, int height)
    {
        var jpeg = Jpeg(64, 64);
        // Walk the segments (marker, length) to the frame header: SOFn is length (2), precision (1), height (2), width (2).
        for (var i = 2; i + 9 < jpeg.Length && jpeg[i] == 0xFF; i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]))
        {
            if (jpeg[i + 1] is 0xC0 or 0xC2)
            {
                jpeg[i + 5] = (byte)(height >> 8);
                jpeg[i + 6] = (byte)height;
                jpeg[i + 7] = (byte)(width >> 8);
                jpeg[i + 8] = (byte)width;
                return jpeg;
            }
        }
        throw new InvalidOperationException("no SOF segment");
    }

    /// <summary>What the image in <paramref name="bytes"/> is: its format and its stored size.</summary>
    public static (SKEncodedImageFormat Format, int Width, int Height) Read(byte[] bytes)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(bytes)) ?? throw new InvalidOperationException("not an image");
        return (codec.EncodedFormat, codec.Info.Width, codec.Info.Height);
    }

    /// <summary>The colour at (<paramref name="x"/>, <paramref name="y"/>) of the image in <paramref name="bytes"/>.</summary>
    public static SKColor Pixel(byte[] bytes, int x, int y)
    {
        using var bitmap = SKBitmap.Decode(bytes);
        return bitmap.GetPixel(x, y);
    }

    public static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>The CRC-32 (IEEE) a PNG chunk ends with.</summary>
    public static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
