// Development: small and cheap. Deploy with
//   az deployment sub create --location <region> --parameters infra/bicep/env/dev.bicepparam
// The WeChat identifiers come from environment variables so none is committed; they default to empty.
using '../main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'minishop-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastasia')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param storageSkuName = 'Standard_LRS'
param cosmosThroughputMode = 'serverless'
param cosmosZoneRedundant = false
param serviceBusMaxDeliveryCount = 10
param serviceBusDuplicateDetectionWindow = 'PT1H'
param keyVaultEnablePurgeProtection = false
param logRetentionInDays = 30
param durableTaskHubName = 'minishopdev'

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
