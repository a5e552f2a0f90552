namespace MiniShop.Domain.Catalog;

public enum ShopStatus { Active, Suspended }

public sealed record Shop(string Id, string Name, string? Description, string? LogoUrl, ShopStatus Status, long Version, DateTimeOffset CreatedAt);
