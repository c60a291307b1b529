using SkiaSharp;

namespace Embassy.Media.Images;

/// <summary>Why an image cannot be used: a status to answer with (413 too many pixels, 422 unreadable) and what is wrong.</summary>
public sealed class ImageRefusedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>An image's size as shown (after its EXIF orientation) and its format.</summary>
public readonly record struct ImageFacts(int Width, int Height, string Format);

/// <summary>
/// Decodes, orients, resizes and encodes images with Skia (docs/adr/0008-images.md). A JPEG is decoded at the smallest
/// scale (1/2, 1/4, 1/8) that still covers the request; the pixel count is checked from the header before any pixel is
/// decoded; the encoders are given pixels only, so no EXIF, GPS, XMP or comment reaches a derivative.
/// </summary>
public static class ImageTransformer
{
    /// <summary>Part of every ETag and cache key: a new Skia or a change to this code makes new derivatives.</summary>
    public static readonly string EncoderVersion = "skia-" + typeof(SKCodec).Assembly.GetName().Version + "-pipeline-1";

    /// <summary>Reads the header (and, to find truncated files, the pixels at the smallest scale): the size as shown, or why not.</summary>
    public static ImageFacts Inspect(string file, long maxPixels)
    {
        using var codec = Open(file, maxPixels);
        // A truncated or corrupt file is found only by decoding; the smallest scale keeps that cheap.
        var smallest = codec.GetScaledDimensions(1f / 8);
        using var bitmap = new SKBitmap(new SKImageInfo(Math.Max(1, smallest.Width), Math.Max(1, smallest.Height), SKColorType.Rgba8888, SKAlphaType.Premul));
        Decode(codec, bitmap);
        var (width, height) = Oriented(codec);
        return new ImageFacts(width, height, codec.EncodedFormat.ToString().ToLowerInvariant());
    }

    /// <summary>Makes the derivative of <paramref name="file"/> that <paramref name="command"/> describes.</summary>
    public static byte[] Transform(string file, ImageCommand command, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var codec = Open(file, maxPixels);
        var (sourceWidth, sourceHeight) = Oriented(codec);
        var plan = Plan(sourceWidth, sourceHeight, command);

        // Decode at the smallest scale that still gives at least the pixels the picture is drawn at (JPEG: n/8).
        var needed = Math.Min(1, Math.Max((double)plan.DrawWidth / sourceWidth, (double)plan.DrawHeight / sourceHeight));
        var scaled = codec.Info.Size;
        foreach (var eighths in Enumerable.Range(1, 8))
        {
            var candidate = codec.GetScaledDimensions(eighths / 8f);
            if (candidate.Width >= codec.Info.Width * needed - 0.5 && candidate.Height >= codec.Info.Height * needed - 0.5)
            {
                scaled = candidate;
                break;
            }
        }
        using var decoded = new SKBitmap(new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb()));
        Decode(codec, decoded);
        using var rotated = Orient(decoded, codec.EncodedOrigin);
        var oriented = rotated ?? decoded;

        var info = new SKImageInfo(plan.CanvasWidth, plan.CanvasHeight, SKColorType.Rgba8888,
            command.Format == ImageFormat.Jpeg ? SKAlphaType.Opaque : SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        using var surface = SKSurface.Create(info) ?? throw new ImageRefusedException(422, "The derivative's size cannot be made.");
        var canvas = surface.Canvas;
        var background = new SKColor(command.Background);
        canvas.Clear(command.Format == ImageFormat.Jpeg ? background.WithAlpha(255) : background);
        using var pixels = oriented.PeekPixels();
        using var image = SKImage.FromPixels(pixels); // shares the bitmap's memory: no copy
        // Large reductions average through mipmaps; small ones use a cubic (Mitchell) filter.
        var reduction = Math.Max((double)oriented.Width / plan.DrawWidth, (double)oriented.Height / plan.DrawHeight);
        var sampling = reduction > 2 ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear) : new SKSamplingOptions(SKCubicResampler.Mitchell);
        using var paint = new SKPaint { IsAntialias = true };
        canvas.DrawImage(image, SKRect.Create(plan.Left, plan.Top, plan.DrawWidth, plan.DrawHeight), sampling, paint);
        canvas.Flush();

        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(command.Format switch
        {
            ImageFormat.Png => SKEncodedImageFormat.Png,
            ImageFormat.WebP => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Jpeg,
        }, command.Quality) ?? throw new ImageRefusedException(422, "The derivative could not be encoded.");
        return data.ToArray();
    }

    /// <summary>Where the picture goes on the derivative's canvas, per <see cref="ResizeMode"/> (ImageSharp's rules).</summary>
    public readonly record struct Layout(int CanvasWidth, int CanvasHeight, float Left, float Top, int DrawWidth, int DrawHeight);

    public static Layout Plan(int sourceWidth, int sourceHeight, ImageCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        double w = command.Width, h = command.Height, sw = sourceWidth, sh = sourceHeight;
        if (w == 0 || h == 0)
        {
            // One side given: the other follows the proportions, whatever the mode (min never enlarges).
            var scale = w == 0 ? h / sh : w / sw;
            if (command.Mode == ResizeMode.Min && scale > 1)
            {
                scale = 1;
            }
            var (ow, oh) = (Round(sw * scale), Round(sh * scale));
            return new Layout(ow, oh, 0, 0, ow, oh);
        }
        switch (command.Mode)
        {
            case ResizeMode.Stretch:
                return new Layout((int)w, (int)h, 0, 0, (int)w, (int)h);
            case ResizeMode.Max:
            {
                var scale = Math.Min(w / sw, h / sh);
                var (ow, oh) = (Round(sw * scale), Round(sh * scale));
                return new Layout(ow, oh, 0, 0, ow, oh);
            }
            case ResizeMode.Min:
            {
                var scale = Math.Min(1, Math.Max(w / sw, h / sh));
                var (ow, oh) = (Round(sw * scale), Round(sh * scale));
                return new Layout(ow, oh, 0, 0, ow, oh);
            }
            case ResizeMode.Pad or ResizeMode.BoxPad:
            {
                var scale = command.Mode == ResizeMode.BoxPad && sw <= w && sh <= h ? 1 : Math.Min(w / sw, h / sh);
                var (dw, dh) = (Round(sw * scale), Round(sh * scale));
                return new Layout((int)w, (int)h, (float)Math.Floor((w - dw) / 2), (float)Math.Floor((h - dh) / 2), dw, dh);
            }
            default:
            {
                // Crop: cover the box, keeping the focal point where it is in the picture as far as the edges allow.
                var scale = Math.Max(w / sw, h / sh);
                var (dw, dh) = (Round(sw * scale), Round(sh * scale));
                var left = Math.Clamp(w / 2 - command.FocusX * dw, w - dw, 0);
                var top = Math.Clamp(h / 2 - command.FocusY * dh, h - dh, 0);
                return new Layout((int)w, (int)h, (float)Math.Round(left), (float)Math.Round(top), dw, dh);
            }
        }
    }

    private static int Round(double value) => Math.Max(1, (int)Math.Round(value));

    private static SKCodec Open(string file, long maxPixels)
    {
        var stream = new SKFileStream(file);
        if (!stream.IsValid)
        {
            stream.Dispose();
            throw new ImageRefusedException(422, "The image file cannot be opened.");
        }
        // The codec owns the stream from here (Skia frees it when the codec is disposed or cannot be made).
        var codec = SKCodec.Create(stream, out var result);
        if (codec is null)
        {
            throw new ImageRefusedException(422, $"The file is not an image this server can read ({Describe(result)}).");
        }
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var pixels = (long)width * height;
        if (width <= 0 || height <= 0 || pixels > maxPixels)
        {
            codec.Dispose(); // nothing of the codec may be read after this: its native object is gone
            throw new ImageRefusedException(413,
                $"The image is {width}×{height} pixels ({pixels / 1e6:0.#} megapixels); at most {maxPixels / 1e6:0.#} megapixels are accepted (Embassy:Media:Images:MaxPixels).");
        }
        return codec;
    }

    private static void Decode(SKCodec codec, SKBitmap bitmap)
    {
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new ImageRefusedException(422, $"The image cannot be decoded: {Describe(result)}.");
        }
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file is truncated",
        SKCodecResult.ErrorInInput => "the file is corrupt",
        SKCodecResult.InvalidInput or SKCodecResult.Unimplemented => "unsupported or unrecognised content",
        SKCodecResult.CouldNotRewind => "the file could not be read again",
        _ => result.ToString(),
    };

    private static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    private static (int Width, int Height) Oriented(SKCodec codec) =>
        SwapsSides(codec.EncodedOrigin) ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);

    /// <summary>Applies the EXIF orientation, so that the derivative is upright without any metadata; null when upright already.</summary>
    private static SKBitmap? Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return null;
        }
        var (w, h) = SwapsSides(origin) ? (source.Height, source.Width) : (source.Width, source.Height);
        var result = new SKBitmap(new SKImageInfo(w, h, source.ColorType, source.AlphaType, source.ColorSpace));
        using var canvas = new SKCanvas(result);
        // The matrix that maps the stored pixels to the upright picture (EXIF orientations 2–8).
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        canvas.SetMatrix(matrix);
        canvas.DrawBitmap(source, 0, 0);
        canvas.Flush();
        return result;
    }
}
