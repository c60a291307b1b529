using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Security : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ScheduledBy",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            // Owner is a user id from now on (as in Orchard Core), so a re-created user name owns nothing of its
            // namesake's. Items owned by a name that is a user today move to that user's id; others keep what they had.
            migrationBuilder.Sql(
                "UPDATE ContentItems SET Owner = (SELECT u.Id FROM AspNetUsers u WHERE u.UserName = ContentItems.Owner) " +
                "WHERE Owner IN (SELECT UserName FROM AspNetUsers)");
            // Schedules set before this release are honoured only if their item's owner may publish the type.
            migrationBuilder.Sql(
                "UPDATE ContentItems SET ScheduledBy = Owner WHERE ScheduledPublishUtc IS NOT NULL OR ScheduledUnpublishUtc IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ScheduledBy",
                table: "ContentItems");
        }
    }
}
