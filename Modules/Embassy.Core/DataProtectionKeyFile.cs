using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Core;

/// <summary>
/// The data-protection keys' own key, from a file outside the database (<see cref="EmbassyOptions.DataProtectionKeyFile"/>):
/// each key the key manager stores is encrypted with it (AES-256-GCM), so the database — and every copy of it — holds
/// the keys that protect cookies, two-factor state and webhook secrets only in a form it cannot open.
/// </summary>
public sealed class DataProtectionKeyFile
{
    public const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[]? _key;

    private DataProtectionKeyFile(string path, byte[]? key)
    {
        Path = path;
        _key = key;
        Fingerprint = key is null ? null : Convert.ToHexStringLower(SHA256.HashData(key))[..16];
    }

    public string Path { get; }

    /// <summary>The first 16 hex digits of the key's SHA-256 (stored beside each encrypted key: which file opens it).</summary>
    public string? Fingerprint { get; }

    public bool Present => _key is not null;

    /// <summary>
    /// Reads the key file; a master that has none makes one (0600, never overwriting one made meanwhile). A standby
    /// without one reads no stored key (the key manager logs why, naming the file to copy). A file that is not a key is refused
    /// with a message naming it.
    /// </summary>
    public static DataProtectionKeyFile Open(EmbassyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.DataProtectionKeyPath;
        if (!File.Exists(path))
        {
            if (options.Role != ServerRole.Master)
            {
                return new(path, null);
            }
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var stream = new FileStream(path, create);
                using var writer = new StreamWriter(stream);
                writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // made by another process meanwhile: read that one
            }
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            key = [];
        }
        if (key.Length != KeyBytes)
        {
            throw new InvalidOperationException($"Embassy:DataProtectionKeyFile: {path} is not a data-protection key (one line, base64 of {KeyBytes} bytes).");
        }
        return new(path, key);
    }

    public XElement Encrypt(XElement plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var key = _key ?? throw Missing();
        var data = System.Text.Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceBytes + TagBytes + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes));
        return new XElement("keyFileEncrypted", new XAttribute("key", Fingerprint!), Convert.ToBase64String(sealedBytes));
    }

    public XElement Decrypt(XElement encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        var key = _key ?? throw Missing();
        if ((string?)encrypted.Attribute("key") is { } fingerprint && fingerprint != Fingerprint)
        {
            throw new CryptographicException($"This data-protection key was encrypted with another key file (fingerprint {fingerprint}; {Path} is {Fingerprint}): give this server the same file as the other.");
        }
        var sealedBytes = Convert.FromBase64String(encrypted.Value);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("A stored data-protection key is cut short: it cannot be opened.");
        }
        var data = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), data);
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(data));
    }

    private CryptographicException Missing() =>
        new($"No data-protection key file at {Path}: copy the master's (Embassy:DataProtectionKeyFile) to this server.");

    /// <summary>
    /// A stored key written before keys were encrypted, with its secret in plain text: the same key with each element
    /// marked requiresEncryption replaced by its encryptedSecret (the key manager's own format); null when nothing is plain.
    /// </summary>
    public XElement? EncryptPlainSecrets(XElement key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var copy = new XElement(key);
        var plain = copy.Descendants().Where(e => (string?)e.Attribute(DataProtectionNamespace + "requiresEncryption") == "true").ToList();
        if (plain.Count == 0 || !Present)
        {
            return null;
        }
        foreach (var element in plain)
        {
            element.ReplaceWith(new XElement(DataProtectionNamespace + "encryptedSecret",
                new XAttribute("decryptorType", typeof(KeyFileXmlDecryptor).AssemblyQualifiedName!), Encrypt(new XElement(element))));
        }
        return copy;
    }

    private static readonly XNamespace DataProtectionNamespace = "http://schemas.asp.net/2015/03/dataProtection";
}

/// <summary>The key manager's encryptor: every key it stores, encrypted with the key file.</summary>
public sealed class KeyFileXmlEncryptor(DataProtectionKeyFile file) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(file.Encrypt(plaintextElement), typeof(KeyFileXmlDecryptor));
}

/// <summary>Opens what <see cref="KeyFileXmlEncryptor"/> stored (made by the key manager with the services).</summary>
public sealed class KeyFileXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => services.GetRequiredService<DataProtectionKeyFile>().Decrypt(encryptedElement);
}
