namespace MiniShop.Domain.Identity;

/// <summary>What an admin endpoint needs. The role table below is the single place that grants them.</summary>
public enum AdminPermission
{
    CatalogRead,
    CatalogWrite,
    CatalogStructureWrite,
    ShopManage,
    OperatorManage,
    OrdersRead,
    OrdersWrite,
    RefundsDecide,
    MarketingWrite,
    IntegrationManage,
}

public static class AdminPermissions
{
    private static readonly Dictionary<string, AdminPermission[]> Grants = new(StringComparer.Ordinal)
    {
        [AdminRole.PlatformAdmin] = Enum.GetValues<AdminPermission>(),
        [AdminRole.Operator] =
        [
            AdminPermission.CatalogRead, AdminPermission.CatalogWrite, AdminPermission.CatalogStructureWrite,
            AdminPermission.OrdersRead, AdminPermission.OrdersWrite, AdminPermission.RefundsDecide,
            AdminPermission.MarketingWrite,
        ],
        [AdminRole.MerchantAdmin] =
        [
            AdminPermission.CatalogRead, AdminPermission.CatalogWrite, AdminPermission.OrdersRead,
            AdminPermission.OrdersWrite, AdminPermission.RefundsDecide, AdminPermission.MarketingWrite,
        ],
        [AdminRole.CustomerService] = [AdminPermission.CatalogRead, AdminPermission.OrdersRead, AdminPermission.RefundsDecide],
    };

    public static bool RoleGrants(string role, AdminPermission permission)
        => Grants.TryGetValue(role, out var list) && list.Contains(permission);

    public static bool AnyGrants(IEnumerable<string> roles, AdminPermission permission)
        => roles.Any(r => RoleGrants(r, permission));
}
