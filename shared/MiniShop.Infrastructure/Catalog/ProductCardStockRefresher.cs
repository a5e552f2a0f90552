using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
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
public sealed class ProductCardStockRefresher(CosmosDb db, IConfiguration config, ILogger<ProductCardStockRefresher> log) : IHostedService, IAsyncDisposable
{
    public const string ProcessorName = "product-card-stock";
    private readonly CancellationTokenSource _stopping = new();
    private ChangeFeedProcessor? _processor;
    private Task? _starting;
    private int _disposed;

    private Container Cards => db.Container(CosmosSchema.ProductCards);

    public Task StartAsync(CancellationToken ct)
    {
        if (!config.GetValue("Catalog:CardStockRefreshEnabled", true)) return Task.CompletedTask;
        // In the background: the app serves requests even while Cosmos DB is briefly unreachable at start-up.
        _starting = Task.Run(() => StartProcessorAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        if (_starting is not null)
        {
            try { await _starting.WaitAsync(ct); }
            catch (OperationCanceledException) { }
        }
        if (_processor is { } p)
        {
            _processor = null;
            try { await p.StopAsync(); }
            catch (Exception e) { log.LogWarning("Stopping the product card refresher: {Error}", e.Message); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    private async Task StartProcessorAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            var processor = db.Container(CosmosSchema.Products)
                .GetChangeFeedProcessorBuilder<JsonElement>(ProcessorName, (IReadOnlyCollection<JsonElement> changes, CancellationToken token) => HandleAsync(changes, token))
                .WithInstanceName($"{Environment.MachineName}-{Guid.NewGuid():N}")
                .WithLeaseContainer(db.Container(CosmosSchema.Leases))
                .WithPollInterval(TimeSpan.FromMilliseconds(500))
                .WithErrorNotification((lease, e) =>
                {
                    log.LogWarning("Product card refresher (lease {Lease}) will retry the batch: {Error}", lease, e.Message);
                    return Task.CompletedTask;
                })
                .Build();
            try
            {
                await processor.StartAsync();
                _processor = processor;
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("The product card refresher could not start ({Error}); retrying in {Delay}", e.Message, delay);
                try { await Task.Delay(delay, ct); }
                catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
            }
        }
    }

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
