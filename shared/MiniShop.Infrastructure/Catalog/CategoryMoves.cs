using Microsoft.Extensions.Logging;
using MiniShop.Domain.Catalog;

namespace MiniShop.Infrastructure.Catalog;

/// <summary>
/// A category edit as operators make it: the tree changes first (one batch), then, when the node moved, the storefront
/// cards filed under it follow. Should the second step fail, <c>POST /api/admin/catalog/rebuild-listing</c> repairs
/// the listing (nothing in it decides money or stock).
/// </summary>
public sealed class CategoryMoves(CategoryStore categories, ProductCardProjector cards, ILogger<CategoryMoves> log)
{
    public async Task<Category> UpdateAsync(string id, CategoryDraft draft, long expectedVersion, CancellationToken ct)
    {
        var (category, moved) = await categories.UpdateAsync(id, draft, expectedVersion, ct);
        if (moved)
        {
            var refiled = await cards.RefileAsync(id, ct);
            log.LogInformation("Category {CategoryId} moved under {ParentId}; {Cards} storefront card(s) refiled", id, category.ParentId ?? "(root)", refiled);
        }
        return category;
    }
}
