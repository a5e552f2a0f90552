// A role on the Key Vault: Secrets User (read secret values) for the app, or Secrets Officer (manage
// secrets) for the person or pipeline that fills them in.

@description('Key Vault name.')
param vaultName string

@description('Object id of the principal to grant.')
param principalId string

@description('Principal type (ServicePrincipal for managed identities).')
@allowed([
  'ServicePrincipal'
  'User'
  'Group'
])
param principalType string = 'ServicePrincipal'

@description('Which role to grant.')
@allowed([
  'SecretsUser'
  'SecretsOfficer'
])
param role string = 'SecretsUser'

var roleIds = {
  SecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  SecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: vaultName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roleIds[role])
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[role])
    principalId: principalId
    principalType: principalType
  }
}
