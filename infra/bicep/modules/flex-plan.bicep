// Flex Consumption hosting plan (FC1, Linux).

@description('Plan name.')
param name string

@description('Azure region (one that offers Flex Consumption).')
param location string

@description('Tags for the resource.')
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

output id string = plan.id
output name string = plan.name
