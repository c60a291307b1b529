using Embassy.Content.Data;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services;

/// <summary>What the CMI says about translations beyond what saving does (<see cref="Events.TranslationStepHandler"/>).</summary>
public sealed class TranslationSteps(EmbassyDbContext db)
{
    /// <summary>
    /// A translation just made as a copy of its original (in the original's language) is behind until it is first
    /// saved: its first edit is the translating, which catches it up instead of moving the set on.
    /// </summary>
    public async Task MarkUntranslatedAsync(string contentItemId, CancellationToken cancellationToken)
    {
        var steps = db.Set<TranslationStepRecord>();
        if (await steps.FirstOrDefaultAsync(s => s.ContentItemId == contentItemId, cancellationToken) is not { } mine)
        {
            return;
        }
        mine.InStepWith = await Events.TranslationStepHandler.RevisionOfOthersAsync(steps, mine.LocalizationSet, contentItemId, cancellationToken) - 1;
        await db.SaveChangesAsync(cancellationToken);
    }
}
