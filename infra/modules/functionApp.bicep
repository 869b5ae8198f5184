// The function app on the Flex Consumption plan (FC1, Linux), Node 22, running as the
// user-assigned identity. No connection string and no key anywhere: storage and
// Application Insights are reached with the identity.
//
// The app settings are those shared/config.ts reads (appSettingNames) plus the two the
// platform needs to use the user-assigned identity; test/infra/infraMatchesConfig.test.ts
// checks the list. Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME,
// FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE and friends: the runtime and the
// package location live in functionAppConfig instead.

@description('Name of the function app; also the first label of its default host name.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app; the app also gets azd-service-name.')
param tags object

@description('Resource ID of the user-assigned identity the app runs as.')
param identityResourceId string

@description('Client ID of that identity, for AzureWebJobsStorage__clientId and the Application Insights authentication string.')
param identityClientId string

@description('Storage account used as AzureWebJobsStorage, as deployment storage and for the data.')
param storageAccountName string

@description('Blob container in that account that holds the deployment package.')
param deploymentContainerName string

@description('Application Insights component that receives the telemetry.')
param applicationInsightsName string

@minValue(1)
@maxValue(1000000)
@description('Value of the RATE_LIMIT_PER_HOUR app setting.')
param rateLimitPerHour int

@minValue(1)
@maxValue(1000000)
@description('Value of the RATE_LIMIT_INVALID_PER_HOUR app setting.')
param rateLimitInvalidPerHour int

@minValue(1)
@maxValue(1000)
@description('Value of the STATS_MIN_HIERARCHIES app setting.')
param statsMinHierarchies int

// No 512: an instance must hold the 640 MiB heap and the budget's request bytes kept outside
// it (buffers), 512 MiB more. test/infra/heapLimit.test.ts checks every allowed size.
@allowed([
  2048
  4096
])
@description('Memory of each instance in MB.')
param instanceMemoryMB int

@minValue(40)
@maxValue(1000)
@description('Upper bound on the on-demand instances of each per-function scale group (40 is the lowest every region accepts).')
param maximumInstanceCount int

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Linux: Flex Consumption runs on Linux only.
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  // azd deploys the `api` service of azure.yaml to the resource carrying this tag.
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Identity-based host storage: account name + managed identity, never a connection
        // string. The code builds its own storage clients from the same two settings.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'RATE_LIMIT_PER_HOUR'
          value: string(rateLimitPerHour)
        }
        {
          name: 'RATE_LIMIT_INVALID_PER_HOUR'
          value: string(rateLimitInvalidPerHour)
        }
        {
          name: 'STATS_MIN_HIERARCHIES'
          value: string(statsMinHierarchies)
        }
        // V8's old-space limit for the Node worker: the memory budget (512 MiB) + 128 MiB
        // (shared/heapLimit.ts says why; test/infra/heapLimit.test.ts holds the two equal).
        // Without it the heap grows far past the budget before it is collected. A host setting,
        // not one Flex Consumption deprecates; the host then starts a fresh worker with it
        // instead of a prewarmed one, at some cost to cold start. Not NODE_OPTIONS: Node reads
        // it only at start, and a prewarmed worker may have started before the app's settings.
        {
          name: 'languageWorkers__node__arguments'
          value: '--max-old-space-size=640'
        }
        // The connection string names the component and its ingestion endpoint; it is not a
        // credential, since local auth is disabled on the component.
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        // Entra ID authentication for telemetry, as the user-assigned identity.
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Node 22: Node 20 left support on 2026-04-30. The deploy workflow builds the package
      // with the same version; package.json `engines` and ci.yml cover it.
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// azd and the deploy workflow publish with Entra ID tokens; basic-auth publishing
// credentials (FTP and SCM user/password) would be a second, key-like way in.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
