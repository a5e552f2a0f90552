namespace MiniShop.Domain.Identity;

/// <summary>Operator roles. Names are the wire/storage form.</summary>
public static class AdminRole
{
    public const string PlatformAdmin = "platform-admin";
    public const string Operator = "operator";
    public const string MerchantAdmin = "merchant-admin";
    public const string CustomerService = "customer-service";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { PlatformAdmin, Operator, MerchantAdmin, CustomerService };

    /// <summary>Roles that act on every shop; the others only on the shops listed on the account.</summary>
    public static bool SpansAllShops(string role) => role is PlatformAdmin or Operator;
}
