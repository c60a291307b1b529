using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TranslationSteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TranslationSteps",
                columns: table => new
                {
                    ContentItemId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LocalizationSet = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InStepWith = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TranslationSteps", x => x.ContentItemId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TranslationSteps_LocalizationSet_InStepWith",
                table: "TranslationSteps",
                columns: new[] { "LocalizationSet", "InStepWith" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TranslationSteps");
        }
    }
}
