using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContentApiColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EndUtc",
                table: "ContentItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "SortOrder",
                table: "ContentItems",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "StartUtc",
                table: "ContentItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DefinitionsVersion",
                table: "ChangeFeedHead",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "ChangeFeedHead",
                keyColumn: "Id",
                keyValue: 1,
                column: "DefinitionsVersion",
                value: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ContentType_Published_SortOrder",
                table: "ContentItems",
                columns: new[] { "ContentType", "Published", "SortOrder" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_ContentType_Published_StartUtc",
                table: "ContentItems",
                columns: new[] { "ContentType", "Published", "StartUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ContentType_Published_SortOrder",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_ContentType_Published_StartUtc",
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
        }
    }
}
