// Monitoring Metrics Publisher on the Application Insights component: lets the app send telemetry with
// Entra ID authentication (APPLICATIONINSIGHTS_AUTHENTICATION_STRING=Authorization=AAD).

@description('Application Insights component name.')
param appInsightsName string

@description('Object id of the principal to grant.')
param principalId string

var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
