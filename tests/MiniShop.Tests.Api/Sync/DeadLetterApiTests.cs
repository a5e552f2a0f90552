using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MiniShop.Infrastructure.Demo;
using MiniShop.Infrastructure.Sync;
using MiniShop.Tests.Support;

namespace MiniShop.Tests.Api.Sync;

/// <summary>
/// The dead-letter admin API without Service Bus: an admin stock adjustment writes a stock event, the relay hands it
/// to the in-process publisher, the ERP stub rejects it, and the failure shows up as a dead letter to replay or discard.
/// </summary>
[Collection(SyncApiCollection.Name)]
public sealed class DeadLetterApiTests(SyncApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string ProductId = "prd-demo-cap";

    private async Task<(string SkuId, string Code)> SkuAsync(string admin, int index)
    {
        var product = await Json.ReadAsync(await host.Client(admin).GetAsync($"admin/products/{ProductId}", Ct), 200);
        var sku = product.GetProperty("skus")[index];
        return (sku.GetProperty("id").GetString()!, sku.GetProperty("code").GetString()!);
    }

    private async Task AdjustAsync(string admin, string skuId, string key)
        => await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync($"admin/products/{ProductId}/skus/{skuId}/stock-adjustments",
            new { delta = 2, reason = "cycle count", idempotencyKey = key }, Ct), 200);

    private async Task<JsonElement> WaitForDeadLetterAsync(string admin, string skuId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await Json.ReadAsync(await host.Client(admin).GetAsync("admin/sync/dead-letters?topic=inventory&subscription=erp", Ct), 200);
            var match = list.GetProperty("items").EnumerateArray().FirstOrDefault(i => i.GetProperty("aggregateId").GetString() == skuId);
            if (match.ValueKind == JsonValueKind.Object) return match;
            Assert.True(DateTime.UtcNow < deadline, "no dead letter appeared");
            await Task.Delay(100, Ct);
        }
    }

    private static bool IsFor(PartnerRequest r, string skuId) => r.BodyText.Contains(skuId, StringComparison.Ordinal);

    [Fact]
    public async Task A_rejected_event_is_listed_with_its_reason_and_a_replay_delivers_it_signed_with_its_idempotency_key()
    {
        var admin = await host.AdminTokenAsync();
        var (skuId, code) = await SkuAsync(admin, 0);
        host.Erp.Respond = r => IsFor(r, skuId) ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.OK;
        try
        {
            await AdjustAsync(admin, skuId, $"dl-{Guid.NewGuid():N}");
            var dead = await WaitForDeadLetterAsync(admin, skuId);

            Assert.StartsWith("db:inventory:erp:", dead.GetProperty("id").GetString());
            Assert.Equal(("local", "stock.adjusted", "partner_rejected"), (dead.GetProperty("source").GetString(), dead.GetProperty("eventType").GetString(),
                dead.GetProperty("reason").GetString()));
            Assert.Contains("422", dead.GetProperty("description").GetString());
            Assert.Equal(1, dead.GetProperty("deliveryCount").GetInt32());
            Assert.Equal(skuId, dead.GetProperty("sessionId").GetString());
            var eventId = dead.GetProperty("eventId").GetString()!;
            Assert.Single(host.Erp.For(eventId)); // a 4xx is not retried

            host.Erp.Respond = _ => HttpStatusCode.OK;
            var replay = await Json.ReadAsync(await host.Client(admin).PostAsync($"admin/sync/dead-letters/{dead.GetProperty("id").GetString()}/replay", null, Ct), 200);

            Assert.Equal("delivered", replay.GetProperty("status").GetString());
            var delivered = host.Erp.For(eventId);
            Assert.Equal(2, delivered.Count);
            var last = delivered[^1];
            Assert.True(PartnerSignature.VerifyOutbound(SyncApiHost.ErpSecret, last.Header("X-MiniShop-Timestamp")!, "POST", "/minishop/events", last.Body,
                last.Header("X-MiniShop-Signature")));
            using var body = JsonDocument.Parse(last.Body);
            Assert.Equal(code, body.RootElement.GetProperty("data").GetProperty("skuCode").GetString());
            Assert.Equal(2, body.RootElement.GetProperty("data").GetProperty("availableDelta").GetInt64());
            var after = await Json.ReadAsync(await host.Client(admin).GetAsync("admin/sync/dead-letters?topic=inventory&subscription=erp", Ct), 200);
            Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), i => i.GetProperty("eventId").GetString() == eventId);
            await Json.ProblemAsync(await host.Client(admin).PostAsync($"admin/sync/dead-letters/{dead.GetProperty("id").GetString()}/replay", null, Ct), 404);
        }
        finally
        {
            host.Erp.Respond = _ => HttpStatusCode.OK;
        }
    }

    [Fact]
    public async Task A_dead_letter_can_be_discarded_and_only_platform_admins_may_see_or_touch_dead_letters()
    {
        var admin = await host.AdminTokenAsync();
        var merchant = await host.AdminTokenAsync(DemoShopSeeder.MerchantUser);
        var (skuId, _) = await SkuAsync(admin, 1);
        host.Erp.Respond = r => IsFor(r, skuId) ? HttpStatusCode.BadRequest : HttpStatusCode.OK;
        try
        {
            await AdjustAsync(admin, skuId, $"dl-{Guid.NewGuid():N}");
            var dead = await WaitForDeadLetterAsync(admin, skuId);
            var id = dead.GetProperty("id").GetString();

            await Json.ProblemAsync(await host.Client().GetAsync("admin/sync/dead-letters", Ct), 401);
            await Json.ProblemAsync(await host.Client(merchant).GetAsync("admin/sync/dead-letters", Ct), 403);
            await Json.ProblemAsync(await host.Client(merchant).PostAsync($"admin/sync/dead-letters/{id}/replay", null, Ct), 403);
            await Json.ProblemAsync(await host.Client(merchant).PostAsync($"admin/sync/dead-letters/{id}/discard", null, Ct), 403);
            await Json.ProblemAsync(await host.Client(admin).GetAsync("admin/sync/dead-letters?topic=payments", Ct), 400, "topic");
            await Json.ProblemAsync(await host.Client(admin).PostAsync("admin/sync/dead-letters/sb:orders:erp:1/replay", null, Ct), 404); // no Service Bus here

            var all = await Json.ReadAsync(await host.Client(admin).GetAsync("admin/sync/dead-letters", Ct), 200);
            Assert.Contains(all.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
            var discarded = await host.Client(admin).PostAsync($"admin/sync/dead-letters/{id}/discard", null, Ct);
            Assert.Equal(HttpStatusCode.NoContent, discarded.StatusCode);
            await Json.ProblemAsync(await host.Client(admin).PostAsync($"admin/sync/dead-letters/{id}/discard", null, Ct), 404);
            var after = await Json.ReadAsync(await host.Client(admin).GetAsync("admin/sync/dead-letters?topic=inventory", Ct), 200);
            Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        }
        finally
        {
            host.Erp.Respond = _ => HttpStatusCode.OK;
        }
    }
}
