using System.Text.RegularExpressions;
using MiniShop.Domain.Common;

namespace MiniShop.Domain.Addresses;

/// <summary>Orders and picks addresses without reading their (encrypted) content.</summary>
public sealed record AddressStamp(string Id, bool IsDefault, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Address validation and the address-book rules: at most <see cref="MaxPerMember"/> per member; exactly one default
/// whenever there is any (the first becomes the default, deleting the default promotes the most recently updated).
/// </summary>
public static partial class AddressRules
{
    public const int MaxPerMember = 20;
    public const int MaxNameLength = 25;
    public const int MaxDetailLength = 120;
    public const int MaxRegionNameLength = 30;

    /// <summary>Province-level divisions of GB/T 2260 by the first two digits of their code.</summary>
    public static IReadOnlySet<string> ProvincePrefixes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    };

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex SixDigits();

    /// <summary>A mainland mobile number (spaces and hyphens between digits are dropped first), or null.</summary>
    public static string? NormalizeMobile(string? phone)
    {
        if (phone is null) return null;
        var compact = phone.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return MobilePattern().IsMatch(compact) ? compact : null;
    }

    /// <summary>Every wrong field at once (400), or the trimmed fields.</summary>
    public static AddressFields Validate(AddressDraft? d)
    {
        if (d is null) throw ValidationException.For("body", "a JSON object is required.");
        var v = new Validator();
        Text(v, d.RecipientName, "recipientName", MaxNameLength);
        var phone = NormalizeMobile(d.Phone);
        if (string.IsNullOrWhiteSpace(d.Phone)) v.Add("phone", "is required.");
        else if (phone is null) v.Add("phone", "must be a mainland China mobile number: 11 digits starting with 13-19.");
        Text(v, d.Detail, "detail", MaxDetailLength);
        Text(v, d.ProvinceName, "provinceName", MaxRegionNameLength);
        Text(v, d.CityName, "cityName", MaxRegionNameLength);
        Text(v, d.DistrictName, "districtName", MaxRegionNameLength);
        ValidateRegionCodes(v, d.ProvinceCode?.Trim(), d.CityCode?.Trim(), d.DistrictCode?.Trim());
        var postal = string.IsNullOrWhiteSpace(d.PostalCode) ? null : d.PostalCode.Trim();
        v.Check(postal is null || SixDigits().IsMatch(postal), "postalCode", "must be 6 digits.");
        v.ThrowIfInvalid();

        return new AddressFields(d.RecipientName!.Trim(), phone!, d.ProvinceCode!.Trim(), d.ProvinceName!.Trim(), d.CityCode!.Trim(), d.CityName!.Trim(),
            d.DistrictCode!.Trim(), d.DistrictName!.Trim(), d.Detail!.Trim(), postal, d.Tag ?? AddressTag.Other);
    }

    /// <summary>
    /// GB/T 2260 structure: a province is PP0000 (a known PP); a city is PPCC00 under its province; a district is PPCCDD
    /// under its city (or the city's own code for the few cities without districts, e.g. 东莞 441900).
    /// </summary>
    public static void ValidateRegionCodes(Validator v, string? province, string? city, string? district)
    {
        var provinceOk = Code(v, province, "provinceCode");
        if (provinceOk)
        {
            provinceOk = province!.EndsWith("0000", StringComparison.Ordinal) && ProvincePrefixes.Contains(province[..2]);
            v.Check(provinceOk, "provinceCode", "is not a province-level GB/T 2260 code (e.g. 440000).");
        }

        var cityOk = Code(v, city, "cityCode");
        if (cityOk)
        {
            cityOk = city!.EndsWith("00", StringComparison.Ordinal) && city[2..4] != "00";
            if (!cityOk) v.Add("cityCode", "is not a city-level GB/T 2260 code (e.g. 440300).");
            else if (provinceOk && city[..2] != province![..2])
            {
                v.Add("cityCode", $"is not in province {province}.");
                cityOk = false;
            }
        }

        if (Code(v, district, "districtCode") && cityOk)
        {
            var ok = district![..4] == city![..4] && (district == city || district[4..] != "00");
            v.Check(ok, "districtCode", $"is not a district of city {city}.");
        }
    }

    /// <summary>How a member's addresses are listed: the default first, then the most recently updated.</summary>
    public static IEnumerable<T> ListOrder<T>(IEnumerable<T> items, Func<T, AddressStamp> stamp)
        => items.OrderByDescending(i => stamp(i).IsDefault)
            .ThenByDescending(i => stamp(i).UpdatedAt)
            .ThenByDescending(i => stamp(i).CreatedAt)
            .ThenByDescending(i => stamp(i).Id, StringComparer.Ordinal);

    /// <summary>The address that becomes the default when the default is deleted: the most recently updated of the rest.</summary>
    public static string? NextDefault(IEnumerable<AddressStamp> remaining)
        => ListOrder(remaining.Select(s => s with { IsDefault = false }), s => s).FirstOrDefault()?.Id;

    private static void Text(Validator v, string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) { v.Add(field, "is required."); return; }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength) v.Add(field, $"must be at most {maxLength} characters.");
        if (trimmed.Any(char.IsControl)) v.Add(field, "must not contain control characters.");
    }

    private static bool Code(Validator v, string? code, string field)
    {
        if (string.IsNullOrEmpty(code)) { v.Add(field, "is required."); return false; }
        if (SixDigits().IsMatch(code)) return true;
        v.Add(field, "must be a 6-digit GB/T 2260 code.");
        return false;
    }
}
