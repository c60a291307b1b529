using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PollingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_Status_NextAttemptUtc",
                table: "WebhookDeliveries",
                columns: new[] { "Status", "NextAttemptUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ModifiedUtc",
                table: "ContentItems",
                column: "ModifiedUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_Status_NextAttemptUtc",
                table: "WebhookDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ModifiedUtc",
                table: "ContentItems");
        }
    }
}
