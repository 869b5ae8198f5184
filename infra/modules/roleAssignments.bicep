// Least-privilege data-plane roles for the app's identity. No control-plane role and no
// key access: the account has shared keys disabled, and nothing here can list keys,
// change the account or read anything outside it.
//
// Each assignment is named guid(scope, principal, role), so re-deploying is idempotent and
// two environments never collide.
//
// Scope: the storage account, not single containers/queues/tables. The account is
// dedicated to this app, and the Functions host creates and uses containers of its own in
// it at run time (azure-webjobs-hosts for locks, azure-webjobs-secrets for the function
// keys), so narrower scopes would take nothing away from the app and break the host.

@description('Principal (object) ID of the user-assigned identity the function app runs as.')
param principalId string

@description('Name of the storage account the roles apply to.')
param storageAccountName string

@description('Name of the Application Insights component the identity publishes telemetry to.')
param applicationInsightsName string

var roleIds = {
  // Blob Data Owner rather than Blob Data Contributor: the code sets blob index tags at
  // upload (.../blobs/tags/write) and lists by tags with Find Blobs by Tags
  // (.../blobs/filter/action), which Contributor does not grant. The Functions host also
  // requires Owner on AzureWebJobsStorage, and Flex Consumption reads the package with it.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  // Send (ingestion), read and delete (the aggregateUsage trigger), add to the poison
  // queue (the host).
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  // Read and upsert the weekly aggregates.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  // Publish telemetry with Entra ID; the component has local auth disabled.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roleIds.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataOwner)
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roleIds.storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageQueueDataContributor)
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roleIds.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageTableDataContributor)
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, roleIds.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
  }
}
