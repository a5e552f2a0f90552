using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Tests.Api.Sync;

/// <summary>POST /api/webhooks/erp/stock over HTTP: partner authentication first, then per-item outcomes.</summary>
[Collection(SyncApiCollection.Name)]
public sealed class ErpWebhookApiTests(SyncApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Path = "webhooks/erp/stock";

    private async Task<Sku> SkuAsync(string productId, int index)
        => (await host.Services.GetRequiredService<ProductAdminService>().GetAsync(productId, Ct)).Value.Skus[index];

    private static string Snapshot(string code, long available)
        => JsonSerializer.Serialize(new { snapshots = new[] { new { shopId = "shop-demo", skuCode = code, available } } });

    [Fact]
    public async Task Forged_stale_unknown_and_replayed_requests_are_refused_and_change_nothing()
    {
        var sku = await SkuAsync("prd-demo-shirt", 0);
        var before = sku.Stock;
        var body = Snapshot(sku.Code, before.Available + 11);
        var nonce = Guid.NewGuid().ToString("N");
        using var client = host.Client();

        var refused = new List<(string Case, HttpResponseMessage Response)>
        {
            ("no headers", await client.PostAsync(Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct)),
            ("unknown partner", await client.SendAsync(SyncApiHost.PartnerRequest(Path, body, partnerId: "erp-nobody"), Ct)),
            ("wrong secret", await client.SendAsync(SyncApiHost.PartnerRequest(Path, body, secret: "guessed", nonce: nonce), Ct)),
            ("body changed after signing", await client.SendAsync(SyncApiHost.PartnerRequest(Path, body,
                signature: Sign(Snapshot(sku.Code, 999_999))), Ct)),
            ("stale timestamp", await client.SendAsync(SyncApiHost.PartnerRequest(Path, body, at: DateTimeOffset.UtcNow.AddMinutes(-6)), Ct)),
            ("future timestamp", await client.SendAsync(SyncApiHost.PartnerRequest(Path, body, at: DateTimeOffset.UtcNow.AddMinutes(6)), Ct)),
            ("malformed nonce", await client.SendAsync(SyncApiHost.PartnerRequest(Path, body, nonce: "short"), Ct)),
        };
        foreach (var (name, response) in refused)
        {
            var problem = await Json.ProblemAsync(response, 401);
            Assert.True(problem.GetProperty("code").GetString() == "unauthorized", name);
        }
        Assert.Equal(before, (await SkuAsync("prd-demo-shirt", 0)).Stock);

        // The forged request with that nonce did not use it up: the genuine one goes through, once.
        var genuine = SyncApiHost.PartnerRequest(Path, body, nonce: nonce);
        var replay = await SyncApiHost.CloneAsync(genuine);
        var accepted = await Json.ReadAsync(await client.SendAsync(genuine, Ct), 200);
        Assert.Equal("applied", accepted.GetProperty("results")[0].GetProperty("status").GetString());
        var replayed = await Json.ProblemAsync(await client.SendAsync(replay, Ct), 409);
        Assert.Equal("replayed_request", replayed.GetProperty("code").GetString());

        var after = (await SkuAsync("prd-demo-shirt", 0)).Stock;
        Assert.Equal(before with { Available = before.Available + 11 }, after);

        string Sign(string otherBody)
        {
            var probe = SyncApiHost.PartnerRequest(Path, otherBody);
            return probe.Headers.GetValues("X-Signature").Single();
        }
    }

    [Fact]
    public async Task Snapshots_and_deltas_report_an_outcome_per_item_and_a_repeated_delta_is_a_duplicate()
    {
        var a = await SkuAsync("prd-demo-jeans", 0);
        var b = await SkuAsync("prd-demo-jeans", 1);
        var reference = $"GR-{Guid.NewGuid():N}"[..20];
        var body = JsonSerializer.Serialize(new
        {
            snapshots = new object[] { new { shopId = "shop-demo", skuCode = a.Code, available = 33 }, new { shopId = "shop-demo", skuCode = "NOPE", available = 1 } },
            deltas = new object[] { new { shopId = "shop-demo", skuCode = b.Code, delta = 5, reference } },
        });
        using var client = host.Client();

        var first = await Json.ReadAsync(await client.SendAsync(SyncApiHost.PartnerRequest(Path, body), Ct), 200);
        var second = await Json.ReadAsync(await client.SendAsync(SyncApiHost.PartnerRequest(Path, body), Ct), 200);

        Assert.Equal(["applied", "not_found", "applied"], first.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(["unchanged", "not_found", "duplicate"], second.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(33, (await SkuAsync("prd-demo-jeans", 0)).Stock.Available);
        Assert.Equal(b.Stock.Available + 5, (await SkuAsync("prd-demo-jeans", 1)).Stock.Available);
        await Json.ProblemAsync(await client.SendAsync(SyncApiHost.PartnerRequest(Path, "{\"snapshots\":[]}"), Ct), 400, "body");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(SyncApiHost.PartnerRequest(Path, "not json"), Ct)).StatusCode);
    }
}
