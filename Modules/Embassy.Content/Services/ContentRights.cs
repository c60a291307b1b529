using Embassy.Content.Data;
using Embassy.Core;

namespace Embassy.Content.Services;

/// <summary>The content core's rights, one step every operation uses: publishing, unpublishing and deleting need the
/// type's right whoever calls, and only someone who may publish a type sets or changes its schedules.</summary>
public sealed class ContentRights(CurrentActor actor)
{
    /// <summary>Publishing, unpublishing and deleting need the right for the type, whoever calls (the scheduler and recipes act as the system).</summary>
    public void Demand(string permission, string contentType)
    {
        if (!actor.Can(permission, contentType))
        {
            throw new ContentForbiddenException($"{actor.UserName ?? "this caller"} may not {permission switch
            {
                Permissions.DeleteContent => "delete",
                _ => "publish or unpublish",
            }} {contentType} items");
        }
    }

    /// <summary>
    /// Who may schedule: only someone who may publish the type sets or changes a schedule. A schedule an editor set
    /// is carried along when someone else saves the item, but it then records that person, and the scheduler does
    /// not honour it unless they may publish: a version is scheduled only as saved by someone who may publish it.
    /// </summary>
    public void GuardSchedule(ContentItemRecord record, (DateTime? Publish, DateTime? Unpublish)? previous)
    {
        if (record.ScheduledPublishUtc is null && record.ScheduledUnpublishUtc is null)
        {
            record.ScheduledBy = null;
            return;
        }
        if (!actor.Can(Permissions.PublishContent, record.ContentType) &&
            (previous is null || previous.Value.Publish != record.ScheduledPublishUtc || previous.Value.Unpublish != record.ScheduledUnpublishUtc))
        {
            var part = previous?.Publish != record.ScheduledPublishUtc && record.ScheduledPublishUtc is not null
                ? "PublishLaterPart.ScheduledPublishUtc" : "ArchiveLaterPart.ScheduledArchiveUtc";
            throw new ContentValidationException($"{part}: only someone who may publish {record.ContentType} items can schedule them");
        }
        record.ScheduledBy = actor.Id;
    }
}
