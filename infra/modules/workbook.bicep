// An Azure Monitor workbook over the Application Insights component: submissions per day by
// outcome and docVersion, ingest latency, aggregation lag and the poison queue. Its queries
// are infra/monitoring/*.kql, the same files the alert rules and docs/operations.md use.

@description('Display name of the workbook in the portal.')
param displayName string

@description('Azure region of the workbook.')
param location string

@description('Tags applied to the workbook.')
param tags object

@description('Name of the Application Insights component (infra/modules/monitoring.bicep) the workbook reads.')
param applicationInsightsName string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var charts = [
  {
    title: 'Submissions per day, by outcome and docVersion'
    query: loadTextContent('../monitoring/outcomesPerDay.kql')
    visualization: 'barchart'
  }
  {
    title: 'Ingest latency (ms), by route'
    query: loadTextContent('../monitoring/ingestLatency.kql')
    visualization: 'timechart'
  }
  {
    title: 'Aggregation lag (s)'
    query: loadTextContent('../monitoring/aggregationLag.kql')
    visualization: 'timechart'
  }
  {
    title: 'Poison queue messages'
    query: loadTextContent('../monitoring/poisonCount.kql')
    visualization: 'timechart'
  }
]

// A for-expression may only stand at the top of a variable, not inside an object.
var items = [
  for (chart, i) in charts: {
    type: 3
    name: 'chart-${i}'
    content: {
      version: 'KqlItem/1.0'
      title: chart.title
      query: chart.query
      size: 0
      // The last 30 days.
      timeContext: {
        durationMs: 2592000000
      }
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: chart.visualization
    }
  }
]

var content = {
  version: 'Notebook/1.0'
  items: items
  fallbackResourceIds: [
    applicationInsights.id
  ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name must be a GUID: one per component, stable across deployments.
  name: guid(applicationInsights.id, 'usage-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(content)
  }
}

output WORKBOOK_ID string = workbook.id
