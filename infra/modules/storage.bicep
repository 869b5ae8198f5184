// The one storage account of the receiver: the Functions host's own storage
// (AzureWebJobsStorage), the Flex Consumption deployment package, and the data the code
// writes. Keys are disabled: every caller, the host included, uses Entra ID.
//
// The container, queue and table names below are exactly those of `storageNames` in
// shared/config.ts. They are written out literally, not passed in, so that
// test/infra/infraMatchesConfig.test.ts can read them and fail when the two drift apart.

@description('Name of the storage account (3 to 24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the account.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Redundancy SKU of the account.')
param skuName string

@description('Blob container that holds the Flex Consumption deployment package. The platform, not the code, reads it.')
param deploymentContainerName string

@minValue(1)
@maxValue(365)
@description('Days after creation at which blobs in the raw container are deleted.')
param rawRetentionDays int

@minValue(1)
@maxValue(365)
@description('Days after creation at which blobs in the rejected container are deleted.')
param rejectedRetentionDays int

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    // No hierarchical namespace: blob index tags, which the raw archive and the rejected
    // store are written with and listed by (deletion requests, replay, reaggregate), are not
    // supported on accounts that have one, and it cannot be turned off again. The Parquet
    // dataset in `datasets` is laid out in folder-like paths all the same (docs/deploy.md,
    // "The datasets container and the hierarchical namespace").
    isHnsEnabled: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // The app reaches storage over its public endpoint (no VNet integration yet); nothing
    // outside Entra ID can authenticate, since shared keys and anonymous reads are off.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storage
  name: 'default'
  properties: {
    // No soft delete: retention is the lifecycle policy below, and a deletion (consent
    // withdrawn, retention reached) must really delete, not keep a copy for days more.
    deleteRetentionPolicy: {
      enabled: false
    }
  }
}

// Accepted documents, one immutable blob per docId (storageNames.rawContainer).
resource rawContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'raw'
  properties: {
    publicAccess: 'None'
  }
}

// Invalid but consented documents with their errors, kept for replay (storageNames.rejectedContainer).
resource rejectedContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'rejected'
  properties: {
    publicAccess: 'None'
  }
}

// The weekly dataset in Parquet for BI tools (contract section 4.3), written by the
// publisher; product teams get Storage Blob Data Reader on this container alone
// (modules/weeklyDimensionsReaders.bicep). No lifecycle rule: a week's file is replaced
// whole when it is published again, and the dataset is kept as long as the statistics.
resource datasetsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'datasets'
  properties: {
    publicAccess: 'None'
  }
}

// Not the code's: Flex Consumption reads the deployment package from here.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

// Claim-check messages read by the aggregateUsage trigger (storageNames.ingestQueue).
resource ingestQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = {
  parent: queueService
  name: 'usage-ingested'
}

// Where the host moves messages after host.json's maxDequeueCount (storageNames.poisonQueue).
// The host would create it on first use; creating it here lets alerts and operators find it
// before anything has failed.
resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = {
  parent: queueService
  name: 'usage-ingested-poison'
}

// Requests to republish a week's WeeklyDimensions rows (storageNames.publishQueue).
resource publishQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = {
  parent: queueService
  name: 'weekly-dimensions-publish'
}

// Its poison queue (storageNames.publishPoisonQueue), created for the same reason as usage-ingested-poison.
resource publishPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = {
  parent: queueService
  name: 'weekly-dimensions-publish-poison'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

// Per-hierarchy weekly snapshots (storageNames.hierarchyWeeksTable).
resource hierarchyWeeksTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tableService
  name: 'HierarchyWeeks'
}

// Fleet-wide weekly rollups (storageNames.weeklyStatsTable).
resource weeklyStatsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tableService
  name: 'WeeklyStats'
}

// Statistics published for product teams (storageNames.weeklyDimensionsTable, contract section 4.2).
resource weeklyDimensionsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tableService
  name: 'WeeklyDimensions'
}

// Retention. The policy runs about once a day, so a blob goes a day or two after its
// threshold. Days count from creation: documents are written once and never modified.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'deleteRawAfterRetention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'raw/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: rawRetentionDays
                }
              }
            }
          }
        }
        {
          name: 'deleteRejectedAfterRetention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'rejected/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: rejectedRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

output name string = storage.name
output deploymentContainerName string = deploymentContainer.name
output weeklyDimensionsTableName string = weeklyDimensionsTable.name
output datasetsContainerName string = datasetsContainer.name
