using Embassy.Data;
using MySqlConnector;

namespace Embassy.Cms.Tests;

public sealed class DatabaseConfigurationTests
{
    [Theory]
    [InlineData("Server=127.0.0.1;Database=embassy;User ID=embassy", false)]
    [InlineData("Server=127.0.0.1;Database=embassy;User ID=embassy;Connection Reset=true", true)]
    [InlineData("Server=127.0.0.1;Database=embassy;User ID=embassy;ConnectionReset=true", true)]
    public void PooledMySqlConnections_AreNotReset_UnlessTheConnectionStringAsks(string configured, bool reset)
    {
        var csb = new MySqlConnectionStringBuilder(DatabaseModule.MySqlConnectionString(configured));
        Assert.Equal(reset, csb.ConnectionReset);
        Assert.Equal("embassy", csb.Database);
    }
}
