using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.MySql
{
    /// <inheritdoc />
    public partial class ContentApiColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ContentType_Published_Culture_PublishedUtc",
                table: "ContentItems");

            migrationBuilder.AddColumn<DateTime>(
                name: "EndUtc",
                table: "ContentItems",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "SortOrder",
                table: "ContentItems",
                type: "double",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "StartUtc",
                table: "ContentItems",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DefinitionsVersion",
                table: "ChangeFeedHead",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "ChangeFeedHead",
                keyColumn: "Id",
                keyValue: 1,
                column: "DefinitionsVersion",
                value: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ContentType_PublishedUtc_ContentItemId",
                table: "ContentItems",
                columns: new[] { "ContentType", "PublishedUtc", "ContentItemId" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ContentType_SortOrder_ContentItemId",
                table: "ContentItems",
                columns: new[] { "ContentType", "SortOrder", "ContentItemId" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ContentType_StartUtc_ContentItemId",
                table: "ContentItems",
                columns: new[] { "ContentType", "StartUtc", "ContentItemId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ContentType_PublishedUtc_ContentItemId",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ContentType_SortOrder_ContentItemId",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ContentType_StartUtc_ContentItemId",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "EndUtc",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "SortOrder",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "StartUtc",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "DefinitionsVersion",
                table: "ChangeFeedHead");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ContentType_Published_Culture_PublishedUtc",
                table: "ContentItems",
                columns: new[] { "ContentType", "Published", "Culture", "PublishedUtc" });
        }
    }
}
