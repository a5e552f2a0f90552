using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Infrastructure.Catalog;

/// <summary>
/// Keeps the listing's "in stock" and sales figures in step with the products. Checkout, payments, refunds, flash sales
/// and the ERP change a product's stock counts with patches that never touch its card, so the card follows the products
/// container's change feed instead: every product change is compared with its card, and only a card that differs is
/// patched (guarded by its ETag; a lost race is taken again with the next change). Unpublished products have no card.
/// Off with <c>Catalog:CardStockRefreshEnabled=false</c>.
/// </summary>
public sealed class ProductCardStockRefresher(CosmosDb db, IConfiguration config, ILogger<ProductCardStockRefresher> log) : ChangeFeedService(log)
{
    public const string ProcessorName = "product-card-stock";

    private Container Cards => db.Container(CosmosSchema.ProductCards);

    protected override string Description => "The product card refresher (Catalog:CardStockRefreshEnabled)";

    protected override bool Enabled => config.GetValue("Catalog:CardStockRefreshEnabled", true);

    // New leases start now: cards are projected when a product is published; this only follows later stock changes.
    protected override IEnumerable<ChangeFeedProcessor> BuildProcessors() =>
    [
        db.Container(CosmosSchema.Products)
            .GetChangeFeedProcessorBuilder<JsonElement>(ProcessorName, (IReadOnlyCollection<JsonElement> changes, CancellationToken ct) => HandleAsync(changes, ct))
            .WithInstanceName(InstanceName)
            .WithLeaseContainer(db.Container(CosmosSchema.Leases))
            .WithPollInterval(TimeSpan.FromMilliseconds(500))
            .WithErrorNotification((lease, e) =>
            {
                Log.LogWarning("Product card refresher (lease {Lease}) will retry the batch: {Error}", lease, e.Message);
                return Task.CompletedTask;
            })
            .Build(),
    ];

    /// <summary>Brings the cards of the changed products in line. Throwing leaves the checkpoint where it was.</summary>
    public async Task HandleAsync(IReadOnlyCollection<JsonElement> changes, CancellationToken ct)
    {
        foreach (var doc in changes)
        {
            if (!doc.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "product") continue;
            var product = doc.Deserialize<Product>(JsonDefaults.Options);
            if (product is null || product.Status != ProductStatus.Published) continue;
            await RefreshAsync(product, ct);
        }
    }

    private async Task RefreshAsync(Product product, CancellationToken ct)
    {
        var card = await Cards.ReadOrNullAsync<ProductCard>(product.Id, ProductCard.MiniProgramChannel, ct);
        if (card is null || card.Value.ProductVersion > product.Version) return; // not listed yet, or listed from a newer edit
        var (inStock, sales) = (ProductCard.InStockOf(product), ProductCard.SalesOf(product));
        if (card.Value.InStock == inStock && card.Value.Sales == sales) return;
        try
        {
            await Cards.PatchItemAsync<ProductCard>(product.Id, new PartitionKey(ProductCard.MiniProgramChannel),
                [PatchOperation.Set("/inStock", inStock), PatchOperation.Set("/sales", sales)],
                new PatchItemRequestOptions { IfMatchEtag = card.ETag, EnableContentResponseOnWrite = false }, ct);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            // The card changed or went away meanwhile (an edit re-projected it, an unpublish removed it): nothing to fix here.
        }
    }
}
