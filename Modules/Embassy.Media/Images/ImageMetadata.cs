using System.Buffers.Binary;

namespace Embassy.Media.Images;

/// <summary>
/// Takes out of an uploaded picture what it says beyond the picture: EXIF (GPS position, camera, serial numbers, dates),
/// XMP, IPTC and comments — losslessly, the pixels' bytes untouched. A JPEG keeps its JFIF header, colour profile (ICC)
/// and Adobe marker (needed to decode CMYK), and its EXIF orientation as a minimal EXIF block of that one tag, so it
/// still shows upright. A PNG loses its eXIf and text chunks; a WebP its EXIF and XMP chunks. Anything it cannot parse
/// is left as it was (the intake's checks decide about it), never half-written.
/// </summary>
public static class ImageMetadata
{
    /// <summary>The file without its metadata, or null when there was none to take out (or it is not a format handled here).</summary>
    public static byte[]? Strip(ReadOnlySpan<byte> file, string extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        try
        {
            return extension.ToLowerInvariant() switch
            {
                ".jpg" or ".jpeg" => StripJpeg(file),
                ".png" => StripPng(file),
                ".webp" => StripWebP(file),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException)
        {
            return null; // malformed: left for the intake's checks
        }
    }

    private static byte[]? StripJpeg(ReadOnlySpan<byte> file)
    {
        if (file.Length < 4 || file[0] != 0xFF || file[1] != 0xD8)
        {
            return null;
        }
        using var output = new MemoryStream(file.Length);
        output.Write(file[..2]);
        var position = 2;
        var removed = false;
        ushort orientation = 1;
        var wroteOrientation = false;
        while (position + 4 <= file.Length)
        {
            if (file[position] != 0xFF)
            {
                throw new InvalidDataException("not a marker");
            }
            var marker = file[position + 1];
            if (marker == 0xFF)
            {
                position++; // fill byte
                continue;
            }
            if (marker == 0xDA)
            {
                // Start of scan: the compressed picture and everything after it, as it is.
                if (orientation is > 1 and <= 8 && !wroteOrientation)
                {
                    output.Write(OrientationOnlyExif(orientation));
                }
                output.Write(file[position..]);
                return removed ? output.ToArray() : null;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(file.Slice(position + 2, 2));
            if (length < 2 || position + 2 + length > file.Length)
            {
                throw new InvalidDataException("segment overruns the file");
            }
            var segment = file.Slice(position, 2 + length);
            var payload = segment[4..];
            var drop = marker switch
            {
                0xE1 => true, // APP1: EXIF or XMP
                0xED => true, // APP13: Photoshop / IPTC
                0xFE => true, // COM
                >= 0xE3 and <= 0xEF and not 0xEE => true, // other application segments (maker notes, FlashPix…); APP14 (Adobe) kept
                _ => false,
            };
            if (marker == 0xE1 && payload.StartsWith("Exif\0\0"u8))
            {
                orientation = Orientation(payload[6..]);
            }
            if (drop)
            {
                removed = true;
            }
            else
            {
                if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC) && orientation is > 1 and <= 8 && !wroteOrientation)
                {
                    // The orientation goes before the frame header, where readers look for metadata.
                    output.Write(OrientationOnlyExif(orientation));
                    wroteOrientation = true;
                }
                output.Write(segment);
            }
            position += 2 + length;
        }
        throw new InvalidDataException("no start of scan");
    }

    /// <summary>The EXIF orientation (tag 0x0112 in IFD0) of a TIFF block; 1 when it has none.</summary>
    private static ushort Orientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return 1;
        }
        var little = tiff[0] == (byte)'I';
        var ifd = (int)Math.Min(U32(tiff, 4, little), int.MaxValue);
        if (ifd + 2 > tiff.Length)
        {
            return 1;
        }
        var count = U16(tiff, ifd, little);
        for (var i = 0; i < count && ifd + 2 + (i + 1) * 12 <= tiff.Length; i++)
        {
            var entry = ifd + 2 + i * 12;
            if (U16(tiff, entry, little) == 0x0112 && U16(tiff, entry + 2, little) == 3)
            {
                return U16(tiff, entry + 8, little);
            }
        }
        return 1;
    }

    private static ushort U16(ReadOnlySpan<byte> tiff, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff.Slice(at, 2)) : BinaryPrimitives.ReadUInt16BigEndian(tiff.Slice(at, 2));

    private static uint U32(ReadOnlySpan<byte> tiff, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff.Slice(at, 4)) : BinaryPrimitives.ReadUInt32BigEndian(tiff.Slice(at, 4));

    /// <summary>An APP1 segment with an EXIF block of one tag: the orientation.</summary>
    private static byte[] OrientationOnlyExif(ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, // Orientation, SHORT, 1, value
            0, 0, 0, 0, // no next IFD
        ];
        var length = 2 + 6 + tiff.Length;
        var segment = new byte[2 + length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)length);
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment.AsSpan(10));
        return segment;
    }

    private static byte[]? StripPng(ReadOnlySpan<byte> file)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (!file.StartsWith(signature))
        {
            return null;
        }
        using var output = new MemoryStream(file.Length);
        output.Write(signature);
        var position = signature.Length;
        var removed = false;
        while (position + 12 <= file.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(file.Slice(position, 4));
            if (length > int.MaxValue || position + 12 + (long)length > file.Length)
            {
                throw new InvalidDataException("chunk overruns the file");
            }
            var type = file.Slice(position + 4, 4);
            var chunk = file.Slice(position, 12 + (int)length);
            if (type.SequenceEqual("eXIf"u8) || type.SequenceEqual("tEXt"u8) || type.SequenceEqual("iTXt"u8) || type.SequenceEqual("zTXt"u8) || type.SequenceEqual("tIME"u8))
            {
                removed = true;
            }
            else
            {
                output.Write(chunk);
            }
            position += chunk.Length;
            if (type.SequenceEqual("IEND"u8))
            {
                break;
            }
        }
        return removed ? output.ToArray() : null;
    }

    private static byte[]? StripWebP(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file.StartsWith("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return null;
        }
        using var output = new MemoryStream(file.Length);
        output.Write(file[..12]);
        var position = 12;
        var removed = false;
        var vp8x = -1;
        while (position + 8 <= file.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position + 4, 4));
            var padded = size + (size & 1);
            if (position + 8 + (long)padded > file.Length)
            {
                throw new InvalidDataException("chunk overruns the file");
            }
            var type = file.Slice(position, 4);
            var chunk = file.Slice(position, 8 + (int)padded);
            if (type.SequenceEqual("EXIF"u8) || type.SequenceEqual("XMP "u8))
            {
                removed = true;
            }
            else
            {
                if (type.SequenceEqual("VP8X"u8))
                {
                    vp8x = (int)output.Position;
                }
                output.Write(chunk);
            }
            position += chunk.Length;
        }
        if (!removed)
        {
            return null;
        }
        var result = output.ToArray();
        if (vp8x >= 0 && vp8x + 9 <= result.Length)
        {
            result[vp8x + 8] &= unchecked((byte)~0x0C); // the EXIF (0x08) and XMP (0x04) flags
        }
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }
}
