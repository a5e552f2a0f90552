// The Function App on the Flex Consumption plan: .NET isolated worker, system-assigned identity, code
// deployed from a blob container that the identity reads. App settings carry no secret: connections are
// identity-based and secrets are Key Vault references.
//
// Flex Consumption rejects some classic settings (FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION,
// WEBSITE_RUN_FROM_PACKAGE, WEBSITE_CONTENT*...): the runtime and its version are set in functionAppConfig.

@description('Function App name (globally unique host name prefix).')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource (azd-service-name is added here).')
param tags object = {}

@description('azd service name that `azd deploy` looks for in the azd-service-name tag.')
param azdServiceName string = 'api'

@description('Resource id of the Flex Consumption plan.')
param planId string

@description('Blob endpoint of the storage account holding the deployment container (ends with /).')
param storageBlobEndpoint string

@description('Blob container that Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Worker runtime.')
param runtimeName string = 'dotnet-isolated'

@description('Worker runtime version.')
param runtimeVersion string = '10.0'

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances of the HTTP group (0-20). Hosted services such as the outbox relay run only while an instance runs; with 0 the app scales to zero when idle.')
@minValue(0)
@maxValue(20)
param alwaysReadyInstanceCount int = 1

@description('App settings (name -> value). None may hold a secret: use Key Vault references.')
param appSettings object

@description('App settings whose value is this app\'s own https URL plus a path (name -> path starting with /); the host name is known only once the app exists.')
param appUrlSettings object = {}

@description('Turn off FTP and SCM basic (user name/password) publishing credentials; deployments then use Entra ID.')
param disableBasicPublishingCredentials bool = true

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyInstanceCount > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyInstanceCount
              }
            ]
          : []
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: union(
    appSettings,
    toObject(items(appUrlSettings), item => item.key, item => 'https://${site.properties.defaultHostName}${item.value}')
  )
}

resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = if (disableBasicPublishingCredentials) {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = if (disableBasicPublishingCredentials) {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
