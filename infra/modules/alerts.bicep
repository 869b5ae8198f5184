// Log alert rules on the Application Insights component, one per way the service can fail
// unseen. Their queries live in infra/monitoring/*.kql, shared with the workbook and
// docs/operations.md; the metrics they read are recorded by the queueHealth timer
// (shared/config.ts, monitoringSettings).

@description('Prefix of the alert rules\' and the action group\'s names.')
param namePrefix string

@description('Azure region of the alert rules.')
param location string

@description('Tags applied to the alert rules and the action group.')
param tags object

@description('Name of the Application Insights component (infra/modules/monitoring.bicep) the rules query.')
param applicationInsightsName string

@description('Email addresses the alerts go to. Empty: the rules still fire and show in the portal, and notify no one.')
param alertEmails string[] = []

@description('Seconds the oldest ingest message may wait before alert (b) fires: 15 minutes.')
param ingestAgeThresholdSeconds int = 900

@description('Seconds a week may stay locked for rebuild before alert (d) fires: one hour.')
param rebuildLockThresholdSeconds int = 3600

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Always created, with no receiver when the list is empty, so that adding an address later is
// a parameter change and not a new resource the rules must be pointed at.
resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-alerts'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'usagealerts'
    enabled: true
    emailReceivers: [
      for (email, i) in alertEmails: {
        name: 'email-${i}'
        emailAddress: email
        useCommonAlertSchema: true
      }
    ]
  }
}

var rules = [
  {
    name: 'poison-messages'
    displayName: 'Poison messages present'
    description: 'Messages sit in usage-ingested-poison: aggregation gave up on them. See docs/operations.md, Poison messages.'
    severity: 2
    query: loadTextContent('../monitoring/poisonMessages.kql')
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'poisonMessages'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'ingest-queue-age'
    displayName: 'Oldest ingest message older than 15 minutes'
    description: 'Aggregation is behind or stopped (disabled, failing, or deferred behind a rebuild).'
    severity: 2
    query: loadTextContent('../monitoring/oldestIngestMessage.kql')
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'ageSeconds'
    operator: 'GreaterThan'
    threshold: ingestAgeThresholdSeconds
  }
  {
    name: 'server-errors'
    displayName: 'Any 5xx answer'
    description: 'The host answered a request with a 5xx: storage unavailable (503) or a fault of ours.'
    severity: 1
    query: loadTextContent('../monitoring/serverErrors.kql')
    timeAggregation: 'Count'
    metricMeasureColumn: null
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'rebuild-lock-age'
    displayName: 'A week locked for rebuild longer than an hour'
    description: 'A rebuild still runs after an hour, or died and left its lock. See docs/operations.md, Rebuilding weekly statistics.'
    severity: 2
    query: loadTextContent('../monitoring/rebuildLockAge.kql')
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'lockAgeSeconds'
    operator: 'GreaterThan'
    threshold: rebuildLockThresholdSeconds
  }
  {
    // (a), (b) and (d) read the queueHealth timer's metrics and stay quiet when they stop
    // arriving (the function disabled or failing, the app stopped, telemetry refused): this
    // one fires on their absence. Three readings are expected per window.
    name: 'queue-health-silent'
    displayName: 'No queue health reading for 15 minutes'
    description: 'The queueHealth timer recorded nothing in the last 15 minutes, so the poison, queue-age and rebuild-lock alerts see nothing either. See docs/operations.md, Alerts and workbook.'
    severity: 2
    query: loadTextContent('../monitoring/queueHealthHeartbeat.kql')
    timeAggregation: 'Count'
    metricMeasureColumn: null
    operator: 'LessThan'
    threshold: 1
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for rule in rules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        applicationInsights.id
      ]
      // Every 5 minutes over the last 15: the queueHealth timer records every 5 minutes, so a
      // window holds about three readings and one missed run does not resolve an alert.
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: rule.timeAggregation
            metricMeasureColumn: rule.metricMeasureColumn
            operator: rule.operator
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: [
          actionGroup.id
        ]
      }
    }
  }
]

output ACTION_GROUP_ID string = actionGroup.id
