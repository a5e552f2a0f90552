using MiniShop.Domain.Addresses;
using MiniShop.Domain.Common;

namespace MiniShop.Tests.Unit.Addresses;

public class AddressRulesTests
{
    public static AddressDraft Valid => new("张三", "13800138000", "440000", "广东省", "440300", "深圳市", "440305", "南山区",
        "科技园南区 1 栋 101", "518057", AddressTag.Home, null);

    private static ValidationException Invalid(AddressDraft draft) => Assert.Throws<ValidationException>(() => AddressRules.Validate(draft));

    [Fact]
    public void A_valid_draft_is_trimmed_and_the_tag_defaults_to_other()
    {
        var fields = AddressRules.Validate(Valid with { RecipientName = "  张三 ", Phone = " 138-0013-8000 ", Tag = null, PostalCode = " " });

        Assert.Equal("张三", fields.RecipientName);
        Assert.Equal("13800138000", fields.Phone);
        Assert.Equal(AddressTag.Other, fields.Tag);
        Assert.Null(fields.PostalCode);
    }

    [Theory]
    [InlineData("13800138000", true)]
    [InlineData("19912345678", true)]
    [InlineData("12800138000", false)]
    [InlineData("1380013800", false)]
    [InlineData("138001380001", false)]
    [InlineData("+8613800138000", false)]
    [InlineData("0755-8888888", false)]
    [InlineData("1380013800a", false)]
    public void Phones_are_mainland_mobile_numbers(string phone, bool ok)
        => Assert.Equal(ok, AddressRules.NormalizeMobile(phone) is not null);

    [Fact]
    public void Every_wrong_field_is_reported_at_once()
    {
        var e = Invalid(new AddressDraft(" ", "12345", null, "", "abc", null, "4403051", "南山区", new string('x', 121), "5180", null, null));

        Assert.Equal(
            ["cityCode", "cityName", "detail", "districtCode", "phone", "postalCode", "provinceCode", "provinceName", "recipientName"],
            e.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("990000", "990100", "990101", "provinceCode")] // no such province
    [InlineData("440300", "440300", "440305", "provinceCode")] // a city code given as the province
    [InlineData("440000", "450300", "450305", "cityCode")]     // a city of another province
    [InlineData("440000", "440000", "440305", "cityCode")]     // the province code given as the city
    [InlineData("440000", "440305", "440305", "cityCode")]     // a district code given as the city
    [InlineData("440000", "440300", "440105", "districtCode")] // a district of another city
    [InlineData("440000", "440300", "440300x", "districtCode")]
    public void Region_codes_must_nest_like_gbt_2260(string province, string city, string district, string field)
    {
        var e = Invalid(Valid with { ProvinceCode = province, CityCode = city, DistrictCode = district });
        Assert.Equal([field], e.Errors.Keys);
    }

    [Theory]
    [InlineData("110000", "110100", "110105")] // a municipality: 北京市 / 北京市 / 朝阳区
    [InlineData("441900", "441900", "441900")] // not a province
    [InlineData("460000", "469000", "469001")] // 海南 / 省直辖县级行政区划 / 五指山市
    public void Real_region_shapes_are_accepted(string province, string city, string district)
    {
        if (province == "441900")
        {
            Invalid(Valid with { ProvinceCode = province, CityCode = city, DistrictCode = district });
            // 东莞 has no districts: the district may repeat the city's code.
            AddressRules.Validate(Valid with { ProvinceCode = "440000", CityCode = city, DistrictCode = district });
            return;
        }
        AddressRules.Validate(Valid with { ProvinceCode = province, CityCode = city, DistrictCode = district });
    }

    [Fact]
    public void Control_characters_and_long_names_are_refused()
    {
        var e = Invalid(Valid with { RecipientName = "张\u0000三", Detail = "line\nbreak" });
        Assert.Equal(["detail", "recipientName"], e.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("recipientName", Invalid(Valid with { RecipientName = new string('名', 26) }).Errors.Keys);
    }

    [Fact]
    public void The_default_lists_first_then_the_most_recently_updated()
    {
        var t = DateTimeOffset.UnixEpoch;
        var stamps = new[]
        {
            new AddressStamp("a", false, t, t.AddMinutes(1)),
            new AddressStamp("b", true, t, t),
            new AddressStamp("c", false, t, t.AddMinutes(5)),
        };

        Assert.Equal(["b", "c", "a"], AddressRules.ListOrder(stamps, s => s).Select(s => s.Id));
        Assert.Equal("c", AddressRules.NextDefault(stamps.Where(s => s.Id != "b")));
        Assert.Null(AddressRules.NextDefault([]));
    }
}
