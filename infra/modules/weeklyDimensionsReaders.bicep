// Read access to the published WeeklyDimensions table for the principals product teams name
// (contract section 4.2; docs/product-teams.md): Entra ID only, no account key (the account
// has shared keys disabled). Scoped to that one table, so a reader sees none of the raw
// documents, the other tables or the queues.
//
// Each assignment is named guid(scope, principal, role), so re-deploying is idempotent and
// removing a principal from the list leaves its assignment to be deleted by hand (Bicep
// deployments in incremental mode never delete).

@description('Name of the storage account that holds the table.')
param storageAccountName string

@description('Name of the published table (storageNames.weeklyDimensionsTable), as modules/storage.bicep outputs it.')
param tableName string

@description('Principals that get Storage Table Data Reader on the table: objects { principalId, principalType } with principalType User, Group or ServicePrincipal.')
param readers array

var storageTableDataReader = '76199698-9eea-4c19-bc75-cec21354c6b6' // Storage Table Data Reader

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' existing = {
  parent: storage
  name: 'default'
}

resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' existing = {
  parent: tableService
  name: tableName
}

resource tableReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for reader in readers: {
    name: guid(table.id, reader.principalId, storageTableDataReader)
    scope: table
    properties: {
      principalId: reader.principalId
      principalType: reader.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataReader)
    }
  }
]
