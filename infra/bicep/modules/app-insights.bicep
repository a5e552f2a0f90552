// Application Insights, workspace-based. With local auth disabled, telemetry is accepted only from
// Entra ID identities holding Monitoring Metrics Publisher (the app sends
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING=Authorization=AAD); the connection string alone is then useless.

@description('Component name.')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object = {}

@description('Resource id of the Log Analytics workspace that stores the telemetry.')
param workspaceId string

@description('Accept only Entra ID-authenticated telemetry.')
param disableLocalAuth bool = true

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: name
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspaceId
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: disableLocalAuth
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

output id string = appInsights.id
output name string = appInsights.name
@description('Not a secret (it only identifies where telemetry goes); with local auth disabled it cannot ingest on its own.')
output connectionString string = appInsights.properties.ConnectionString
