namespace MiniShop.Tests.Api.Sync;

/// <summary>The sync API tests share one <see cref="SyncApiHost"/> and run one after another (they steer its stub partners).</summary>
[CollectionDefinition(Name)]
public sealed class SyncApiCollection : ICollectionFixture<SyncApiHost>
{
    public const string Name = "sync-api";
}
