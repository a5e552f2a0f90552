namespace MiniShop.Domain.Addresses;

public enum AddressTag { Home, Company, Other }

/// <summary>
/// A delivery address of a member, decrypted: what the owner sees and what the checkout ships to. Region codes are
/// GB/T 2260 six-digit codes; shipping rules key on <see cref="ProvinceCode"/>.
/// </summary>
public sealed record Address(
    string Id,
    string RecipientName,
    string Phone,
    string ProvinceCode,
    string ProvinceName,
    string CityCode,
    string CityName,
    string DistrictCode,
    string DistrictName,
    string Detail,
    string? PostalCode,
    AddressTag Tag,
    bool IsDefault,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>
/// What a member sends to create or replace an address. Everything is nullable so a missing field is reported by name.
/// <see cref="IsDefault"/>: true makes it the default; false or absent leaves the default where it is (the first address
/// is the default whatever is sent).
/// </summary>
public sealed record AddressDraft(
    string? RecipientName,
    string? Phone,
    string? ProvinceCode,
    string? ProvinceName,
    string? CityCode,
    string? CityName,
    string? DistrictCode,
    string? DistrictName,
    string? Detail,
    string? PostalCode,
    AddressTag? Tag,
    bool? IsDefault);

/// <summary>A validated, trimmed draft.</summary>
public sealed record AddressFields(
    string RecipientName,
    string Phone,
    string ProvinceCode,
    string ProvinceName,
    string CityCode,
    string CityName,
    string DistrictCode,
    string DistrictName,
    string Detail,
    string? PostalCode,
    AddressTag Tag);
