using System.Net.Http.Json;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Api.Identity;

public class AdminAuthApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_signs_in_and_sees_roles_and_scope()
    {
        var me = await Json.ReadAsync(await host.Client(await host.AdminTokenAsync(DemoShopSeeder.MerchantUser)).GetAsync("admin/me", Ct), 200);

        Assert.Equal(["merchant-admin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([DemoShopSeeder.ShopId], me.GetProperty("shopIds").EnumerateArray().Select(r => r.GetString()));
        Assert.False(me.GetProperty("allShops").GetBoolean());
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_for_the_right_password()
    {
        var admin = await host.AdminTokenAsync();
        var user = $"locky{Guid.NewGuid():N}"[..12];
        await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/operators",
            new { userName = user, displayName = "Locky", password = "a-long-enough-password", roles = new[] { "operator" } }, Ct), 201);

        for (var i = 0; i < 5; i++)
            await Json.ProblemAsync(await host.Client().PostAsJsonAsync("admin/auth/login", new { userName = user, password = "wrong-password" }, Ct), 401);

        var locked = await host.Client().PostAsJsonAsync("admin/auth/login", new { userName = user, password = "a-long-enough-password" }, Ct);
        await Json.ProblemAsync(locked, 429);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task An_unknown_user_and_a_wrong_password_look_the_same()
    {
        var unknown = await Json.ProblemAsync(await host.Client().PostAsJsonAsync("admin/auth/login", new { userName = "nobody", password = "whatever-pw" }, Ct), 401);
        var wrong = await Json.ProblemAsync(await host.Client().PostAsJsonAsync("admin/auth/login", new { userName = DemoShopSeeder.MerchantUser, password = "whatever-pw" }, Ct), 401);
        Assert.Equal(unknown.GetProperty("detail").GetString(), wrong.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Admin_refresh_works_and_member_tokens_do_not_open_admin_endpoints()
    {
        using var login = await host.Client().PostAsJsonAsync("admin/auth/login", new { userName = DemoShopSeeder.AdminUser, password = ApiHost.OperatorPassword }, Ct);
        var refresh = (await Json.ReadAsync(login, 200)).GetProperty("tokens").GetProperty("refreshToken").GetString();
        await Json.ReadAsync(await host.Client().PostAsJsonAsync("admin/auth/refresh", new { refreshToken = refresh }, Ct), 200);
        // A member refresh token is not an operator's.
        var member = (await host.MemberSessionAsync("sneaky")).GetProperty("tokens").GetProperty("refreshToken").GetString();
        await Json.ProblemAsync(await host.Client().PostAsJsonAsync("admin/auth/refresh", new { refreshToken = member }, Ct), 401);

        await Json.ProblemAsync(await host.Client(await host.MemberTokenAsync("sneaky")).GetAsync("admin/shops", Ct), 401);
    }

    [Fact]
    public async Task Only_platform_admins_create_operators_and_shops()
    {
        var merchant = await host.AdminTokenAsync(DemoShopSeeder.MerchantUser);
        await Json.ProblemAsync(await host.Client(merchant).PostAsJsonAsync("admin/operators",
            new { userName = "x1", displayName = "X", password = "a-long-enough-password", roles = new[] { "operator" } }, Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).PostAsJsonAsync("admin/shops", new { name = "Mine" }, Ct), 403);

        var admin = await host.AdminTokenAsync();
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync("admin/operators",
            new { userName = "", displayName = "", password = "short", roles = new[] { "king" } }, Ct), 400, "userName", "displayName", "password", "roles");
    }
}
