// Service Bus namespace (Standard) with the integration topics. Each topic has one session-enabled
// subscription per downstream system that consumes it (ERP, WMS): sessions keep one entity's messages in order.
// Duplicate detection cannot be switched on or off once a topic exists.
//
// The subscriptions are exactly the routes of shared/MiniShop.Infrastructure/Sync/SyncOptions.cs (SyncRoutes), each
// consumed by one Service Bus triggered function; tests/MiniShop.Tests.Unit/Infra/ServiceBusRoutesTests.cs compares
// them. A subscription nobody consumes would only fill up and dead-letter on expiry.

@description('Namespace name (6-50 letters, digits and hyphens).')
@minLength(6)
@maxLength(50)
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object = {}

@description('Topics to create.')
param topics string[] = [
  'orders'
  'inventory'
  'logistics'
]

@description('Subscriptions (topic and subscription name): one per downstream system that consumes the topic.')
param topicSubscriptions { topic: string, subscription: string }[] = [
  { topic: 'orders', subscription: 'erp' }
  { topic: 'orders', subscription: 'wms' }
  { topic: 'inventory', subscription: 'erp' }
  { topic: 'logistics', subscription: 'erp' }
]

@description('How long a message id is remembered for duplicate detection (ISO 8601 duration, 20 seconds to 7 days).')
param duplicateDetectionHistoryTimeWindow string = 'PT1H'

@description('Deliveries before a message goes to the dead-letter queue.')
@minValue(1)
@maxValue(2000)
param maxDeliveryCount int = 10

@description('Peek-lock duration (ISO 8601, at most PT5M).')
param lockDuration string = 'PT1M'

@description('Message time to live (ISO 8601); expired messages are dead-lettered.')
param defaultMessageTimeToLive string = 'P14D'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource topicResources 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = [
  for topic in topics: {
    parent: namespace
    name: topic
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: duplicateDetectionHistoryTimeWindow
      defaultMessageTimeToLive: defaultMessageTimeToLive
      enableBatchedOperations: true
      supportOrdering: true
    }
  }
]

resource subscriptionResources 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for ts in topicSubscriptions: {
    name: '${namespace.name}/${ts.topic}/${ts.subscription}'
    properties: {
      requiresSession: true
      maxDeliveryCount: maxDeliveryCount
      lockDuration: lockDuration
      defaultMessageTimeToLive: defaultMessageTimeToLive
      deadLetteringOnMessageExpiration: true
      deadLetteringOnFilterEvaluationExceptions: true
      enableBatchedOperations: true
    }
    dependsOn: [
      topicResources
    ]
  }
]

output id string = namespace.id
output name string = namespace.name
@description('Host name only, e.g. sb-x.servicebus.windows.net (what ServiceBus__fullyQualifiedNamespace expects).')
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
