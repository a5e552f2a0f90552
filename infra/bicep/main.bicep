// MiniShop backend on Azure: one resource group holding the Function App (Flex Consumption), its storage,
// Cosmos DB, Service Bus, Key Vault and monitoring. Each resource is one module under modules/; role
// assignments for the app's managed identity are modules under modules/roles/, deployed after the app.
//
// Deploy with `azd up` (main.bicepparam) or `az deployment sub create` with env/dev.bicepparam or
// env/prod.bicepparam. See README.md.

targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------------------

@description('Environment name (azd AZURE_ENV_NAME): names the resource group and seeds resource names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Region of every resource. It must offer Flex Consumption.')
@minLength(1)
param location string

@description('Resource group to create; defaults to rg-<environmentName>.')
param resourceGroupName string = ''

@description('Optional: object id of a user or pipeline (azd AZURE_PRINCIPAL_ID) given Key Vault Secrets Officer, to fill in the secrets.')
param principalId string = ''

@description('Type of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Extra tags for every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------------
// Sizing
// ---------------------------------------------------------------------------------------------------------

@description('Function App instance memory (MB).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the Function App scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('dotnet-isolated version on Flex Consumption.')
param functionsRuntimeVersion string = '10.0'

@description('Storage replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Cosmos DB capacity: serverless (pay per request) or autoscale (database throughput shared by the containers).')
@allowed([
  'serverless'
  'autoscale'
])
param cosmosThroughputMode string = 'serverless'

@description('Autoscale maximum RU/s of the database; ignored when serverless.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Cosmos DB zone redundancy (needs a region with zones).')
param cosmosZoneRedundant bool = false

@description('Cosmos DB database name.')
param cosmosDatabaseName string = 'minishop'

@description('Service Bus duplicate detection window (ISO 8601, 20 seconds to 7 days).')
param serviceBusDuplicateDetectionWindow string = 'PT1H'

@description('Service Bus deliveries before dead-lettering.')
@minValue(1)
@maxValue(2000)
param serviceBusMaxDeliveryCount int = 10

@description('Key Vault purge protection (irreversible once on).')
param keyVaultEnablePurgeProtection bool = false

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Durable Functions task hub name (letters and digits, 3-45; distinct per app sharing a storage account).')
@minLength(3)
@maxLength(45)
param durableTaskHubName string = 'minishop'

// ---------------------------------------------------------------------------------------------------------
// WeChat (identifiers, not secrets: the secrets live in Key Vault)
// ---------------------------------------------------------------------------------------------------------

@description('Mini-program appid (WeChat__AppId).')
param wechatAppId string = ''

@description('WeChat Pay merchant id (WeChatPay__MchId).')
param wechatPayMchId string = ''

@description('Appid payments are made in (WeChatPay__AppId); defaults to wechatAppId.')
param wechatPayAppId string = ''

@description('Serial number of the merchant API certificate (WeChatPay__MerchantCertificateSerialNo).')
param wechatPayMerchantCertificateSerialNo string = ''

@description('WeChat Pay public key id, PUB_KEY_ID_... (WeChatPay__VerificationKeys__0__Id).')
param wechatPayVerificationKeyId string = ''

@description('WeChat Pay public key PEM (WeChatPay__VerificationKeys__0__PublicKeyPem). Public, not a secret.')
param wechatPayVerificationPublicKeyPem string = ''

// ---------------------------------------------------------------------------------------------------------
// ERP/WMS integration (URLs and partner ids are not secrets: the HMAC secrets live in Key Vault)
// ---------------------------------------------------------------------------------------------------------

@description('ERP API base URL (Erp__BaseUrl); empty = events are not sent to an ERP (a logged no-op).')
param erpBaseUrl string = ''

@description('WMS API base URL (Wms__BaseUrl); empty = events are not sent to a WMS.')
param wmsBaseUrl string = ''

@description('Partner id the ERP sends in X-Partner-Id on our webhooks; its secret is erp-hmac-secret (Partners__<id>__Secret).')
param erpPartnerId string = 'erp'

@description('Partner id the WMS sends in X-Partner-Id on our webhooks; its secret is wms-hmac-secret (Partners__<id>__Secret).')
param wmsPartnerId string = 'wms'

@description('Always-ready instances of the HTTP group. At least 1 keeps the outbox relay (a hosted change feed processor) running when no request comes in.')
@minValue(0)
@maxValue(20)
param alwaysReadyInstanceCount int = 1

// ---------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })

var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  deploymentContainer: 'app-package'
  cosmos: 'cosmos-${resourceToken}'
  serviceBus: 'sb-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
}

@description('Key Vault secret names. Bicep creates none of them; fill them in after the first deployment (README.md).')
var secretNames = {
  wechatAppSecret: 'wechat-app-secret'
  wechatPayMerchantPrivateKey: 'wechatpay-merchant-private-key'
  wechatPayApiV3Key: 'wechatpay-apiv3-key'
  jwtSigningKey: 'jwt-signing-key'
  dataEncryptionKey: 'data-encryption-key'
  erpHmacSecret: 'erp-hmac-secret'
  wmsHmacSecret: 'wms-hmac-secret'
}

// ---------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: allTags
}

module logAnalytics 'modules/log-analytics.bicep' = {
  scope: rg
  params: {
    name: names.logAnalytics
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
  }
}

module appInsights 'modules/app-insights.bicep' = {
  scope: rg
  params: {
    name: names.appInsights
    location: location
    tags: allTags
    workspaceId: logAnalytics.outputs.id
    disableLocalAuth: true
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: allTags
    skuName: storageSkuName
    deploymentContainerName: names.deploymentContainer
  }
}

module cosmos 'modules/cosmos.bicep' = {
  scope: rg
  params: {
    name: names.cosmos
    location: location
    tags: allTags
    databaseName: cosmosDatabaseName
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    zoneRedundant: cosmosZoneRedundant
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  scope: rg
  params: {
    name: names.serviceBus
    location: location
    tags: allTags
    duplicateDetectionHistoryTimeWindow: serviceBusDuplicateDetectionWindow
    maxDeliveryCount: serviceBusMaxDeliveryCount
  }
}

module keyVault 'modules/key-vault.bicep' = {
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    enablePurgeProtection: keyVaultEnablePurgeProtection
  }
}

module plan 'modules/flex-plan.bicep' = {
  scope: rg
  params: {
    name: names.plan
    location: location
    tags: allTags
  }
}

@description('App setting value that resolves a Key Vault secret. Without a version it follows the latest one (picked up within a day, or at once on restart).')
func kvRef(vaultUri string, secretName string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName})'

module functionApp 'modules/function-app.bicep' = {
  scope: rg
  params: {
    name: names.functionApp
    location: location
    tags: allTags
    planId: plan.outputs.id
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    runtimeVersion: functionsRuntimeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyInstanceCount: alwaysReadyInstanceCount
    appSettings: {
      // Host storage and Durable Functions, through the app's identity (no connection string).
      AzureWebJobsStorage__accountName: storage.outputs.name
      DurableTaskHubName: durableTaskHubName

      // Telemetry with Entra ID authentication (local auth is off on the component).
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.outputs.connectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'

      // Cosmos DB through the identity; no key. Bicep owns the schema.
      Cosmos__Endpoint: cosmos.outputs.endpoint
      Cosmos__DatabaseName: cosmos.outputs.databaseName
      Cosmos__ConnectionMode: 'Direct'
      Cosmos__EnsureSchema: 'false'

      // Service Bus triggers, the outbox relay's senders and the dead-letter admin (connection name "ServiceBus"),
      // through the identity.
      ServiceBus__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace

      // ERP/WMS: where events go, how requests are signed, and the partners allowed to call our webhooks (one shared
      // secret per partner, both directions).
      Erp__BaseUrl: erpBaseUrl
      Erp__HmacSecret: kvRef(keyVault.outputs.uri, secretNames.erpHmacSecret)
      Wms__BaseUrl: wmsBaseUrl
      Wms__HmacSecret: kvRef(keyVault.outputs.uri, secretNames.wmsHmacSecret)
      'Partners__${erpPartnerId}__Secret': kvRef(keyVault.outputs.uri, secretNames.erpHmacSecret)
      'Partners__${wmsPartnerId}__Secret': kvRef(keyVault.outputs.uri, secretNames.wmsHmacSecret)

      // Never accept "dev-" login codes in Azure.
      Auth__DevLoginEnabled: 'false'

      // Secrets: Key Vault references only; WeChat identifiers are parameters.
      Auth__JwtSigningKey: kvRef(keyVault.outputs.uri, secretNames.jwtSigningKey)
      Security__DataKey: kvRef(keyVault.outputs.uri, secretNames.dataEncryptionKey)
      WeChat__AppId: wechatAppId
      WeChat__AppSecret: kvRef(keyVault.outputs.uri, secretNames.wechatAppSecret)
      WeChatPay__MchId: wechatPayMchId
      WeChatPay__AppId: empty(wechatPayAppId) ? wechatAppId : wechatPayAppId
      WeChatPay__MerchantCertificateSerialNo: wechatPayMerchantCertificateSerialNo
      WeChatPay__MerchantPrivateKeyPem: kvRef(keyVault.outputs.uri, secretNames.wechatPayMerchantPrivateKey)
      WeChatPay__ApiV3Key: kvRef(keyVault.outputs.uri, secretNames.wechatPayApiV3Key)
      WeChatPay__VerificationKeys__0__Id: wechatPayVerificationKeyId
      WeChatPay__VerificationKeys__0__PublicKeyPem: wechatPayVerificationPublicKeyPem
    }
    appUrlSettings: {
      WeChatPay__NotifyUrl: '/api/webhooks/wechatpay/transactions'
      WeChatPay__RefundNotifyUrl: '/api/webhooks/wechatpay/refunds'
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// The app identity's access (after the app exists, since its principal id comes from it)
// ---------------------------------------------------------------------------------------------------------

module storageAccess 'modules/roles/storage-access.bicep' = {
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: functionApp.outputs.principalId
  }
}

module cosmosAccess 'modules/roles/cosmos-data-access.bicep' = {
  scope: rg
  params: {
    accountName: cosmos.outputs.name
    principalId: functionApp.outputs.principalId
  }
}

module serviceBusAccess 'modules/roles/service-bus-access.bicep' = {
  scope: rg
  params: {
    namespaceName: serviceBus.outputs.name
    principalId: functionApp.outputs.principalId
  }
}

module keyVaultAccess 'modules/roles/key-vault-access.bicep' = {
  scope: rg
  params: {
    vaultName: keyVault.outputs.name
    principalId: functionApp.outputs.principalId
    role: 'SecretsUser'
  }
}

module keyVaultOfficer 'modules/roles/key-vault-access.bicep' = if (!empty(principalId)) {
  scope: rg
  params: {
    vaultName: keyVault.outputs.name
    principalId: principalId
    principalType: principalType
    role: 'SecretsOfficer'
  }
}

module appInsightsAccess 'modules/roles/app-insights-access.bicep' = {
  scope: rg
  params: {
    appInsightsName: appInsights.outputs.name
    principalId: functionApp.outputs.principalId
  }
}

// ---------------------------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment's .env)
// ---------------------------------------------------------------------------------------------------------

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output FUNCTION_APP_DEFAULT_HOSTNAME string = functionApp.outputs.defaultHostName
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE_NAME string = cosmos.outputs.databaseName
output SERVICEBUS_FULLY_QUALIFIED_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output KEY_VAULT_NAME string = keyVault.outputs.name
output KEY_VAULT_URI string = keyVault.outputs.uri
output KEY_VAULT_SECRET_NAMES string[] = map(items(secretNames), s => s.value)
output APPLICATIONINSIGHTS_NAME string = appInsights.outputs.name
@description('The app setting that carries it is APPLICATIONINSIGHTS_CONNECTION_STRING; not a secret.')
output APPLICATIONINSIGHTS_CONNECTION_STRING string = appInsights.outputs.connectionString
