using System.Text.Json;
using System.Text.RegularExpressions;

namespace MiniShop.Tests.Unit.Infra;

public partial class SettingsDocumentationTests
{
    [Fact]
    public void Every_setting_of_the_example_file_is_explained_in_the_readme()
    {
        var values = JsonDocument.Parse(Repository.Read("local.settings.example.json")).RootElement.GetProperty("Values");
        var readme = Repository.Read("README.md");
        // Array entries are documented once with N for the index (WeChatPay__VerificationKeys__N__Id).
        var missing = values.EnumerateObject().Select(p => p.Name)
            .Where(name => !readme.Contains($"`{Index().Replace(name, "__N__")}`", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(missing);
    }

    [GeneratedRegex(@"__\d+__")]
    private static partial Regex Index();
}
