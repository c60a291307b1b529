using System.Text;

namespace Embassy.Media.Services;

/// <summary>
/// What a file's first bytes say it is. An upload is accepted only when they agree with its extension,
/// so an .exe renamed .mp4 is refused.
/// </summary>
public static class FileSignatures
{
    public const int HeaderLength = 64;

    public static bool Matches(string extension, ReadOnlySpan<byte> header)
    {
        return extension.ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => Starts(header, 0xFF, 0xD8, 0xFF),
            ".png" => Starts(header, 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A),
            ".gif" => Ascii(header, 0, "GIF87a") || Ascii(header, 0, "GIF89a"),
            ".webp" => Ascii(header, 0, "RIFF") && Ascii(header, 8, "WEBP"),
            ".ico" => Starts(header, 0x00, 0x00, 0x01, 0x00),
            ".psd" => Ascii(header, 0, "8BPS"),
            ".svg" => IsSvg(header),
            ".pdf" => Ascii(header, 0, "%PDF-"),
            ".docx" or ".pptx" or ".ppsx" or ".xlsx" or ".odt" => Starts(header, 0x50, 0x4B, 0x03, 0x04),
            ".doc" or ".ppt" or ".pps" or ".xls" => Starts(header, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1),
            ".mp3" => Ascii(header, 0, "ID3") || (header.Length > 1 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0),
            ".m4a" or ".mp4" or ".m4v" or ".mov" or ".3gp" => Ascii(header, 4, "ftyp") || Ascii(header, 4, "moov") || Ascii(header, 4, "mdat") || Ascii(header, 4, "wide"),
            ".ogg" or ".ogv" => Ascii(header, 0, "OggS"),
            ".wav" => Ascii(header, 0, "RIFF") && Ascii(header, 8, "WAVE"),
            ".avi" => Ascii(header, 0, "RIFF") && Ascii(header, 8, "AVI "),
            ".webm" => Starts(header, 0x1A, 0x45, 0xDF, 0xA3),
            ".wmv" => Starts(header, 0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11),
            ".mpg" => Starts(header, 0x00, 0x00, 0x01, 0xBA) || Starts(header, 0x00, 0x00, 0x01, 0xB3),
            _ => false,
        };
    }

    private static bool Starts(ReadOnlySpan<byte> header, params ReadOnlySpan<byte> signature) => header.StartsWith(signature);

    private static bool Ascii(ReadOnlySpan<byte> header, int offset, string text) =>
        header.Length >= offset + text.Length && header.Slice(offset, text.Length).SequenceEqual(Encoding.ASCII.GetBytes(text));

    private static bool IsSvg(ReadOnlySpan<byte> header)
    {
        var text = Encoding.UTF8.GetString(header).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith("<svg", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase);
    }
}
