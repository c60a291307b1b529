using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
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

            migrationBuilder.AddColumn<string>(
                name: "PublishedCultures",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            // The cultures each localization set has published, on its published versions (ContentManager keeps them from now on).
            migrationBuilder.Sql("""
                UPDATE ContentItems SET PublishedCultures = (
                    SELECT '|' || group_concat(Culture, '|') || '|' FROM (
                        SELECT DISTINCT c.Culture FROM ContentItems AS c
                        WHERE c.LocalizationSet = ContentItems.LocalizationSet AND c.Published AND c.Culture IS NOT NULL ORDER BY c.Culture))
                WHERE Published AND LocalizationSet IS NOT NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_List_Order",
                table: "ContentItems",
                columns: new[] { "ContentType", "SortOrder", "ContentItemId", "Published", "Culture", "LocalizationSet", "PublishedCultures", "EndUtc", "ContentItemVersionId", "PublishedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_List_Published",
                table: "ContentItems",
                columns: new[] { "ContentType", "PublishedUtc", "ContentItemId", "Published", "Culture", "LocalizationSet", "PublishedCultures", "EndUtc", "ContentItemVersionId" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_List_Start",
                table: "ContentItems",
                columns: new[] { "ContentType", "StartUtc", "ContentItemId", "Published", "Culture", "LocalizationSet", "PublishedCultures", "EndUtc", "ContentItemVersionId", "PublishedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_List_Order",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_List_Published",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_List_Start",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "PublishedCultures",
                table: "ContentItems");

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
    }
}
