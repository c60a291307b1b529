using Embassy.Core;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Images;

/// <summary>
/// How many derivatives one client address may have made per minute (<see cref="ImageOptions.NewDerivativesPerMinute"/>):
/// the sizes, qualities and colours are allow-listed, but their combinations with focal points and modes are many, and
/// each new one costs a decode and disk. Derivatives already made cost nothing against it, so a phone scrolling the
/// news never meets it; a client asking for variant after variant does, at once, without filling the cache.
/// </summary>
public sealed class DerivativeBudget(IOptions<ImageOptions> options) : IDisposable
{
    private readonly PerMinuteLimit _limiter = new(() => options.Value.NewDerivativesPerMinute);

    /// <summary>Takes one new derivative from the client's budget; false, with how long to wait, when it is spent.</summary>
    public bool TryTake(string client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (options.Value.NewDerivativesPerMinute == 0)
        {
            return true;
        }
        return _limiter.TryTake(client, out retryAfter);
    }

    public void Dispose() => _limiter.Dispose();
}
