// Entry point for `azd up` / `azd provision` and for CI's what-if: composes the modules in
// ./modules into one resource group that holds the whole receiver.
//
// Names the code reads (containers, queues, tables, app settings) live in
// modules/storage.bicep and modules/functionApp.bicep; test/infra checks them against
// shared/config.ts so that infra and code cannot drift apart.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment (for example dev or prod). Seeds the resource token that makes names unique and tags every resource with azd-env-name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must offer the Flex Consumption plan: `az functionapp list-flexconsumption-locations` lists them.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Name of the resource group to create. Empty derives rg-<environmentName>.')
param resourceGroupName string = ''

@minValue(1)
@maxValue(1000000)
@description('Documents accepted per hierarchy per hour before the ingestion API answers 429 (contract section 2). Becomes the RATE_LIMIT_PER_HOUR app setting; shared/config.ts accepts 1 to 1,000,000.')
param rateLimitPerHour int = 120

@minValue(1)
@maxValue(1000000)
@description('Invalid documents kept among rejected ones per hour per instance, all hierarchies together; beyond it they are still answered 400 but not kept (contract section 2). Becomes the RATE_LIMIT_INVALID_PER_HOUR app setting; shared/config.ts accepts 1 to 1,000,000.')
param rateLimitInvalidPerHour int = 1000

@minValue(1)
@maxValue(1000)
@description('Default minHierarchies of the dimension routes and of the WeeklyDimensions folding (contract section 4.1). Becomes the STATS_MIN_HIERARCHIES app setting; shared/config.ts accepts 1 to 1000.')
param statsMinHierarchies int = 1

@description('Principals that read the published statistics with their own tools: objects { principalId, principalType } with principalType User, Group or ServicePrincipal. Each gets Storage Table Data Reader on the WeeklyDimensions table and Storage Blob Data Reader on the datasets container, and nothing else (docs/product-teams.md).')
param weeklyDimensionsReaders array = []

@minValue(1)
@maxValue(365)
@description('Days after which raw (accepted) documents are deleted. The contract keeps raw data for one year, hence the maximum.')
param rawRetentionDays int = 365

@minValue(1)
@maxValue(365)
@description('Days after which rejected documents (kept only so that they can be replayed once a schema is fixed) are deleted.')
param rejectedRetentionDays int = 90

// Not 512: the Node heap limit (640 MiB) and the memory budget's buffers outside the heap
// (512 MiB) would not fit; see modules/functionApp.bicep.
@allowed([
  2048
  4096
])
@description('Memory of each Flex Consumption instance in MB; CPU and network scale with it. 2048 or 4096: 512 cannot hold the memory budget and the heap limit.')
param instanceMemoryMB int = 2048

// 40 is the lowest value Flex Consumption accepts in every region (lower values only in some)
// and the lowest it recommends for HTTP apps. What bounds one week's contention is not this
// but the documents each instance runs at once (host.json): docs/deploy.md, "Scale-out".
@minValue(40)
@maxValue(1000)
@description('Upper bound on the on-demand instances of each per-function scale group (the HTTP routes together; each queue trigger on its own). 40 to 1000; see docs/deploy.md, "Scale-out".')
param maximumInstanceCount int = 40

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
@description('Redundancy of the storage account that holds the raw archive, the queue and the aggregates. Prefer Standard_ZRS in production where the region has availability zones; changing it later is a conversion, not an update.')
param storageSkuName string = 'Standard_LRS'

@minValue(30)
@maxValue(730)
@description('Days the Log Analytics workspace behind Application Insights keeps logs and telemetry.')
param logRetentionDays int = 30

@description('Email addresses that receive the alerts (infra/modules/alerts.bicep); empty: the rules fire and notify no one.')
param alertEmails string[] = []

// uniqueString is deterministic: the same subscription, environment and region always give
// the same names, so re-provisioning updates in place instead of creating a second copy.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: 'usage-${resourceToken}'
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    alertEmails: alertEmails
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: {
    displayName: 'ConfigMgr usage receiver'
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: 'app-package-${resourceToken}'
    rawRetentionDays: rawRetentionDays
    rejectedRetentionDays: rejectedRetentionDays
  }
}

module roleAssignments 'modules/roleAssignments.bicep' = {
  name: 'roleAssignments'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module weeklyDimensionsReaderRoles 'modules/weeklyDimensionsReaders.bicep' = {
  name: 'weeklyDimensionsReaders'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    tableName: storage.outputs.weeklyDimensionsTableName
    datasetsContainerName: storage.outputs.datasetsContainerName
    readers: weeklyDimensionsReaders
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    rateLimitPerHour: rateLimitPerHour
    rateLimitInvalidPerHour: rateLimitInvalidPerHour
    statsMinHierarchies: statsMinHierarchies
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  // The host reaches storage and Application Insights with the identity from its first
  // start, and the Flex deployment container is written with it: grant first, then start.
  dependsOn: [
    roleAssignments
  ]
}

// azd reads these after provisioning (azd env get-values); the deploy workflow's smoke test
// uses SERVICE_API_URI.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
