using MiniShop.Domain.Addresses;
using MiniShop.Infrastructure.Identity;

namespace MiniShop.Infrastructure.Addresses;

/// <summary>
/// An address in the member's partition. The recipient's name, phone and detail line are AES-256-GCM encrypted
/// (<c>k1:…</c>) and never stored in clear; region names and codes stay readable for shipping rules and support.
/// </summary>
public sealed record AddressDocument(
    string Id,
    string MemberId,
    string RecipientNameEncrypted,
    string PhoneEncrypted,
    string DetailEncrypted,
    string ProvinceCode,
    string ProvinceName,
    string CityCode,
    string CityName,
    string DistrictCode,
    string DistrictName,
    string? PostalCode,
    AddressTag Tag,
    bool IsDefault,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public string Type => MemberDocTypes.Address;

    public AddressStamp ToStamp() => new(Id, IsDefault, CreatedAt, UpdatedAt);
}

/// <summary>
/// The head of a member's address book (id "address-book"): which addresses exist and which is the default. Every
/// address write replaces it with its ETag in the same transactional batch, so the limit of 20 and "exactly one
/// default" hold whatever runs concurrently.
/// </summary>
public sealed record AddressBookDocument(string MemberId, IReadOnlyList<string> AddressIds, string? DefaultAddressId, long Version, DateTimeOffset UpdatedAt)
{
    public const string DocumentId = "address-book";

    public string Id => DocumentId;

    public string Type => MemberDocTypes.AddressBook;
}
