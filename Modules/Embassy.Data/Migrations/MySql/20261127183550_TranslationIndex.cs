using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.MySql
{
    /// <inheritdoc />
    public partial class TranslationIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_LocalizationSet_Published",
                table: "ContentItems");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_LocalizationSet_Culture_Published",
                table: "ContentItems",
                columns: new[] { "LocalizationSet", "Culture", "Published" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_LocalizationSet_Culture_Published",
                table: "ContentItems");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_LocalizationSet_Published",
                table: "ContentItems",
                columns: new[] { "LocalizationSet", "Published" });
        }
    }
}
