// Parameters for `azd provision` / `azd up` (azd uses <module>.bicepparam, here main.bicepparam, and runs it
// with the azd environment's values as environment variables).
//
//   azd env set MINISHOP_PROFILE prod    # prod sizing (default: dev)
//   azd env set WECHAT_APP_ID wx...      # and the other WeChat identifiers below
//
// The dev and prod values mirror env/dev.bicepparam and env/prod.bicepparam (used with
// `az deployment sub create`); change them together.
using 'main.bicep'

var profile = readEnvironmentVariable('MINISHOP_PROFILE', 'dev')
var prod = profile == 'prod'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'minishop-${profile}')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastasia')
param resourceGroupName = readEnvironmentVariable('AZURE_RESOURCE_GROUP', '')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param principalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User')

param instanceMemoryMB = 2048
param maximumInstanceCount = prod ? 200 : 40
param storageSkuName = prod ? 'Standard_ZRS' : 'Standard_LRS'
param cosmosThroughputMode = prod ? 'autoscale' : 'serverless'
param cosmosAutoscaleMaxThroughput = 4000
param cosmosZoneRedundant = prod
param serviceBusMaxDeliveryCount = 10
param serviceBusDuplicateDetectionWindow = 'PT1H'
param keyVaultEnablePurgeProtection = prod
param logRetentionInDays = prod ? 90 : 30
param durableTaskHubName = 'minishop${profile}'

param wechatAppId = readEnvironmentVariable('WECHAT_APP_ID', '')
param wechatPayMchId = readEnvironmentVariable('WECHATPAY_MCH_ID', '')
param wechatPayAppId = readEnvironmentVariable('WECHATPAY_APP_ID', '')
param wechatPayMerchantCertificateSerialNo = readEnvironmentVariable('WECHATPAY_MERCHANT_CERT_SERIAL_NO', '')
param wechatPayVerificationKeyId = readEnvironmentVariable('WECHATPAY_PUBLIC_KEY_ID', '')
param wechatPayVerificationPublicKeyPem = readEnvironmentVariable('WECHATPAY_PUBLIC_KEY_PEM', '')

param erpBaseUrl = readEnvironmentVariable('MINISHOP_ERP_BASE_URL', '')
param wmsBaseUrl = readEnvironmentVariable('MINISHOP_WMS_BASE_URL', '')
param erpPartnerId = readEnvironmentVariable('MINISHOP_ERP_PARTNER_ID', 'erp')
param wmsPartnerId = readEnvironmentVariable('MINISHOP_WMS_PARTNER_ID', 'wms')
param alwaysReadyInstanceCount = 1
