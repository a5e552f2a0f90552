// Production: purge protection, more instances, autoscale Cosmos DB, zone-redundant storage. Deploy with
//   az deployment sub create --location <region> --parameters infra/bicep/env/prod.bicepparam
// The WeChat identifiers come from environment variables so none is committed; they default to empty.
using '../main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'minishop-prod')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastasia')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param principalType = 'ServicePrincipal'

param instanceMemoryMB = 2048
param maximumInstanceCount = 200
param storageSkuName = 'Standard_ZRS'
param cosmosThroughputMode = 'autoscale'
param cosmosAutoscaleMaxThroughput = 4000
param cosmosZoneRedundant = true
param serviceBusMaxDeliveryCount = 10
param serviceBusDuplicateDetectionWindow = 'PT1H'
param keyVaultEnablePurgeProtection = true
param logRetentionInDays = 90
param durableTaskHubName = 'minishopprod'

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
