// Cosmos DB for NoSQL: account, database and every container of ../cosmos-containers.bicep.
// Keys are off (disableLocalAuth): the app signs in with its managed identity and a data-plane role;
// containers are created here, not by the app (the data-plane role cannot create them).

import { cosmosContainers } from '../cosmos-containers.bicep'

@description('Account name (3-44 lowercase letters, digits and hyphens).')
@minLength(3)
@maxLength(44)
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object = {}

@description('Database name (the app reads it from Cosmos__DatabaseName).')
param databaseName string

@description('serverless: pay per request, single region, for dev and small shops. autoscale: provisioned throughput shared by the containers, scaling between 10% and 100% of the maximum.')
@allowed([
  'serverless'
  'autoscale'
])
param throughputMode string = 'serverless'

@description('Autoscale maximum RU/s of the database (shared by its containers); ignored when serverless.')
@minValue(1000)
param autoscaleMaxThroughput int = 1000

@description('Zone redundancy for the single region (autoscale accounts in regions with zones).')
param zoneRedundant bool = false

var serverless = throughputMode == 'serverless'

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: zoneRedundant
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    enableAutomaticFailover: false
    enableMultipleWriteLocations: false
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = [
  for c in cosmosContainers: {
    parent: database
    name: c.name
    properties: {
      resource: union(
        {
          id: c.name
          partitionKey: {
            paths: [c.partitionKey]
            kind: 'Hash'
            version: 2
          }
          indexingPolicy: {
            indexingMode: 'consistent'
            automatic: true
            includedPaths: [{ path: '/*' }]
            excludedPaths: [{ path: '/"_etag"/?' }]
            compositeIndexes: map(c.?compositeIndexes ?? [], index => map(index, path => { path: path, order: 'ascending' }))
          }
        },
        c.?defaultTtl == null ? {} : { defaultTtl: c.?defaultTtl },
        c.?uniqueKeys == null ? {} : { uniqueKeyPolicy: { uniqueKeys: map(c.uniqueKeys!, paths => { paths: paths }) } }
      )
    }
  }
]

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerNames string[] = [for (c, i) in cosmosContainers: containers[i].name]
