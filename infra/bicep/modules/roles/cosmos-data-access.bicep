// Cosmos DB data-plane role (not an Azure RBAC role): read and write items in every container of the
// account. It cannot create or change databases and containers; Bicep owns those.

@description('Cosmos DB account name.')
param accountName string

@description('Object id of the principal to grant.')
param principalId string

@description('Built-in Cosmos DB Data Contributor.')
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' existing = {
  name: accountName
}

resource assignment 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = {
  parent: account
  name: guid(account.id, principalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: principalId
    scope: account.id
  }
}
