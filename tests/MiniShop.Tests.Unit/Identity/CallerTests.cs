using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;

namespace MiniShop.Tests.Unit.Identity;

public class CallerTests
{
    [Fact]
    public void Anonymous_callers_get_401_that_says_why_the_token_failed()
    {
        var e = Assert.Throws<UnauthorizedException>(() => Caller.AnonymousBecause("it has expired").RequireMember());
        Assert.Contains("expired", e.Detail);
        Assert.Throws<UnauthorizedException>(() => Caller.Anonymous.RequireAdmin(AdminPermission.CatalogRead));
    }

    [Fact]
    public void A_member_is_not_an_operator()
        => Assert.Throws<UnauthorizedException>(() => Caller.Member("m1", "L1", "s1").RequireAdmin(AdminPermission.CatalogRead));

    [Theory]
    [InlineData(AdminRole.PlatformAdmin, AdminPermission.ShopManage, true)]
    [InlineData(AdminRole.Operator, AdminPermission.ShopManage, false)]
    [InlineData(AdminRole.Operator, AdminPermission.CatalogStructureWrite, true)]
    [InlineData(AdminRole.MerchantAdmin, AdminPermission.CatalogWrite, true)]
    [InlineData(AdminRole.MerchantAdmin, AdminPermission.CatalogStructureWrite, false)]
    [InlineData(AdminRole.CustomerService, AdminPermission.CatalogWrite, false)]
    [InlineData(AdminRole.CustomerService, AdminPermission.RefundsDecide, true)]
    public void Roles_grant_exactly_their_permissions(string role, AdminPermission permission, bool granted)
    {
        var caller = Caller.Admin("op", [role], ["shop-1"], "s");
        if (granted) Assert.Equal("op", caller.RequireAdmin(permission));
        else Assert.Throws<ForbiddenException>(() => caller.RequireAdmin(permission));
    }

    [Fact]
    public void Merchant_admins_act_only_on_their_shops_while_operators_span_all()
    {
        var merchant = Caller.Admin("m", [AdminRole.MerchantAdmin], ["shop-1"], "s");
        Assert.Equal("m", merchant.RequireAdmin(AdminPermission.CatalogWrite, "shop-1"));
        Assert.Throws<ForbiddenException>(() => merchant.RequireAdmin(AdminPermission.CatalogWrite, "shop-2"));

        var op = Caller.Admin("o", [AdminRole.Operator], [], "s");
        Assert.Equal("o", op.RequireAdmin(AdminPermission.CatalogWrite, "any-shop"));
    }
}
