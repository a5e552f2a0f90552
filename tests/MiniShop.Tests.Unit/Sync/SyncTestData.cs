using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Tests.Unit.Sync;

internal static class SyncTestData
{
    public static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-03-01T08:00:00Z");

    public static AesGcmFieldEncryptor Encryptor()
        => new(Options.Create(new SecurityOptions { DataKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), DataKeyId = "k1" }));

    public static Order PaidOrder(IFieldEncryptor enc, string skuCode = "TEE-M-WHITE") => new(
        "ord_1", "mbr_1", "shop-demo", "pay_1", OrderStatus.AwaitingShipment,
        [
            new OrderLine("line_1", "prd_1", "sku_1", skuCode, "纯棉T恤", ["M", "白色"], null, 2, 9900, "list", 19800,
                [new OrderLineDiscount("prm_1", "promotion", "shop", 1500), new OrderLineDiscount("cpn_1", "coupon", "platform", 500)], 17800),
            new OrderLine("line_2", "prd_2", "sku_2", "CAP-01", "棒球帽", [], null, 1, 5900, "list", 5900, [], 5900),
        ],
        new OrderAmounts(25700, 1500, 500, 0, 800, 24500), ["cpn_1"], 0,
        new AddressSnapshot(enc.Encrypt("张三"), enc.Encrypt("13800138000"), "440000", "广东省", "深圳市", "南山区", enc.Encrypt("科技园科苑路1号"), "518057"),
        "请尽快发货", At, At.AddMinutes(30), [], 2, PaidAt: At.AddMinutes(2));
}
