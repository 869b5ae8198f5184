// Read access to the published statistics for the principals product teams name: the
// WeeklyDimensions table (contract section 4.2) and the Parquet dataset in the `datasets`
// container (section 4.3), for the same principals (docs/product-teams.md). Entra ID only,
// no account key (the account has shared keys disabled). Scoped to that one table and that
// one container, so a reader sees none of the raw documents, the other tables or the queues.
//
// Each assignment is named guid(scope, principal, role), so re-deploying is idempotent and
// removing a principal from the list leaves its assignment to be deleted by hand (Bicep
// deployments in incremental mode never delete).

@description('Name of the storage account that holds the table.')
param storageAccountName string

@description('Name of the published table (storageNames.weeklyDimensionsTable), as modules/storage.bicep outputs it.')
param tableName string

@description('Name of the dataset container (contract section 4.3), as modules/storage.bicep outputs it.')
param datasetsContainerName string

@description('Principals that get Storage Table Data Reader on the table and Storage Blob Data Reader on the dataset container: objects { principalId, principalType } with principalType User, Group or ServicePrincipal.')
param readers array

var storageTableDataReader = '76199698-9eea-4c19-bc75-cec21354c6b6' // Storage Table Data Reader
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' // Storage Blob Data Reader

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

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' existing = {
  parent: storage
  name: 'default'
}

resource datasetsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = {
  parent: blobService
  name: datasetsContainerName
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

resource datasetReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for reader in readers: {
    name: guid(datasetsContainer.id, reader.principalId, storageBlobDataReader)
    scope: datasetsContainer
    properties: {
      principalId: reader.principalId
      principalType: reader.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    }
  }
]
