// The one list of Cosmos DB containers (database "minishop"). Add a container here and nowhere else.
//
// The code declares the same containers in shared/MiniShop.Infrastructure/Cosmos/CosmosSchema.cs;
// tests/MiniShop.Tests.Unit/Infra/BicepContainersTests.cs fails when a container there is missing here or
// differs in partition key, default TTL or composite indexes. Containers only listed here are for features
// still to come.
//
// Keep each entry as `{ name: '...', partitionKey: '...' ... }` with single-quoted literals: the test reads
// this file as text. A partition key, a unique key and (in practice) a container name cannot be changed once
// the container exists: a change means a new container and a data migration.
//
// Throughput: in autoscale mode the containers share the database's throughput, and Cosmos DB allows at most
// 25 containers in a shared-throughput database. Past that, give new containers their own throughput.

@export()
@description('A Cosmos DB for NoSQL container as the app expects it.')
type containerSpec = {
  @description('Container id.')
  name: string

  @description('Partition key path, e.g. /id.')
  partitionKey: string

  @description('Default TTL in seconds; -1 = on, items set their own ttl; omit = TTL off.')
  defaultTtl: int?

  @description('Composite indexes: each is a list of paths, all ascending (a composite index also serves the fully descending ORDER BY).')
  compositeIndexes: string[][]?

  @description('Unique keys: each is a list of paths unique together within a logical partition. Fixed at creation.')
  uniqueKeys: string[][]?
}

@export()
var cosmosContainers containerSpec[] = [
  // Exactly the containers of CosmosSchema.cs (a unit test compares them).
  { name: 'members', partitionKey: '/memberId', defaultTtl: -1 }
  { name: 'identities', partitionKey: '/id' }
  { name: 'sessions', partitionKey: '/id', defaultTtl: -1 }
  { name: 'operators', partitionKey: '/id' }
  { name: 'shops', partitionKey: '/id' }
  { name: 'catalog-meta', partitionKey: '/kind' }
  { name: 'products', partitionKey: '/productId', defaultTtl: -1 }
  {
    name: 'product-cards'
    partitionKey: '/channel'
    compositeIndexes: [
      ['/minPriceFen', '/id']
      ['/sales', '/id']
      ['/publishedAt', '/id']
    ]
  }
  { name: 'catalog-lookups', partitionKey: '/id' }
  { name: 'payment-index', partitionKey: '/id' }
  { name: 'presales', partitionKey: '/id' }
  { name: 'marketing', partitionKey: '/ownerId' }
  { name: 'coupon-templates', partitionKey: '/id' }
  { name: 'leases', partitionKey: '/id' }
  { name: 'dead-letters', partitionKey: '/queue' }
  { name: 'sync-state', partitionKey: '/id', defaultTtl: -1 }
  { name: 'group-buys', partitionKey: '/activityId' }
  { name: 'flash-sales', partitionKey: '/key' }
]
