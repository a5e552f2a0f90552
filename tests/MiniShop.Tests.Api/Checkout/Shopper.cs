using System.Net.Http.Json;
using System.Text.Json;

namespace MiniShop.Tests.Api.Checkout;

/// <summary>A signed-in shopper with a delivery address, and the calls a checkout test makes.</summary>
public sealed class Shopper(ApiHost host, string token, string addressId)
{
    public string Token { get; } = token;

    public string AddressId { get; } = addressId;

    public HttpClient Client => host.Client(Token);

    public static async Task<Shopper> CreateAsync(ApiHost host, string name, string provinceCode = "440000")
    {
        var token = await host.MemberTokenAsync(name);
        var address = await Json.ReadAsync(await host.Client(token).PostAsJsonAsync("addresses", new
        {
            recipientName = "张三", phone = "13800138000", provinceCode, provinceName = "广东省", cityCode = "440300", cityName = "深圳市",
            districtCode = "440305", districtName = "南山区", detail = "科技园路 1 号", tag = "home",
        }), 201);
        return new Shopper(host, token, address.GetProperty("id").GetString()!);
    }

    public async Task<JsonElement> PreviewAsync(object body, int status = 200)
        => await Json.ReadAsync(await Client.PostAsJsonAsync("checkout/preview", body), status);

    public async Task<HttpResponseMessage> PlaceAsync(object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "checkout") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await Client.SendAsync(request);
    }

    public static object Items(params (string ProductId, string SkuId, int Quantity)[] items)
        => items.Select(i => new { productId = i.ProductId, skuId = i.SkuId, quantity = i.Quantity }).ToArray();
}
