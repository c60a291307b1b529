using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Embassy.Data.Migrations.MySql
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
                    ContentItemId = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    LocalizationSet = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    InStepWith = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TranslationSteps", x => x.ContentItemId);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

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
