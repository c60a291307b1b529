using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.MySql
{
    /// <inheritdoc />
    public partial class Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ScheduledPublishUtc",
                table: "ContentItems",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ScheduledUnpublishUtc",
                table: "ContentItems",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ScheduledPublishUtc",
                table: "ContentItems",
                column: "ScheduledPublishUtc");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ScheduledUnpublishUtc",
                table: "ContentItems",
                column: "ScheduledUnpublishUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ScheduledPublishUtc",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ScheduledUnpublishUtc",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "ScheduledPublishUtc",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "ScheduledUnpublishUtc",
                table: "ContentItems");
        }
    }
}
