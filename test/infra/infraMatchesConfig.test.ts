/**
 * infra/ and shared/config.ts cannot drift apart: the containers, queues and tables the
 * Bicep creates are exactly those the code uses, and every app setting the code reads in
 * Azure is set by the Bicep. Read from the ARM JSON the real compiler makes of main.bicep
 * (modules included); skipped, saying what is missing, where there is no compiler
 * (test/infra/bicepCli.ts).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { appSettingNames, readConfig, storageNames } from "../../shared/config";
import { projectRoot, readHostSettings } from "../../local/hostSettings";
import { readArmInventory, type ArmInventory, type DeclaredName } from "./armInventory";
import { compileBicepFolder, compileBicepSources, findBicep } from "./bicepCli";

/** The containers a lifecycle rule deletes from: the documents, kept for a retention period. */
const retainedContainers = [storageNames.rawContainer, storageNames.rejectedContainer];

/** The code's names, by kind of storage resource. */
const codeNames = {
  containers: [...retainedContainers, storageNames.datasetsContainer],
  queues: [storageNames.ingestQueue, storageNames.poisonQueue, storageNames.publishQueue, storageNames.publishPoisonQueue],
  tables: [storageNames.hierarchyWeeksTable, storageNames.weeklyStatsTable, storageNames.weeklyDimensionsTable],
};

/**
 * App settings the code reads that Bicep must set. `AzureWebJobsStorage` (a connection
 * string) is the local alternative to the identity-based settings and must never be set in
 * Azure.
 */
const requiredSettings = Object.values(appSettingNames).filter((name) => name !== appSettingNames.storageConnectionString);

/** Settings the platform reads, not the code: the only others Bicep may set. */
const platformSettings = [
  // Makes the host use a managed identity for AzureWebJobsStorage (with __clientId).
  "AzureWebJobsStorage__credential",
  // Entra ID authentication of the host's telemetry, since the component has local auth disabled.
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
  // The host's arguments to node: the heap limit (test/infra/heapLimit.test.ts checks its value).
  "languageWorkers__node__arguments",
];

/** Settings Flex Consumption rejects: their job is done by functionAppConfig. */
const flexRejectedSettings = [
  "FUNCTIONS_WORKER_RUNTIME",
  "FUNCTIONS_EXTENSION_VERSION",
  "WEBSITE_NODE_DEFAULT_VERSION",
  "WEBSITE_RUN_FROM_PACKAGE",
  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
  "WEBSITE_CONTENTSHARE",
  "SCM_DO_BUILD_DURING_DEPLOYMENT",
];

/**
 * The one container Bicep may create under a computed name: Flex Consumption's deployment
 * package (modules/storage.bicep's `deploymentContainerName` parameter). The platform reads
 * it, not the code.
 */
const deploymentContainerExpression = "parameters('deploymentContainerName')";

interface NameDiff {
  /** Names the code uses that the Bicep does not create. */
  missing: string[];
  /** Names the Bicep creates that the code does not know. */
  unexpected: string[];
}

/** Compares two name lists as sets (order-free, duplicates ignored). */
function diffNames(code: readonly string[], bicep: readonly string[]): NameDiff {
  return {
    missing: [...new Set(code)].filter((name) => !bicep.includes(name)).sort(),
    unexpected: [...new Set(bicep)].filter((name) => !code.includes(name)).sort(),
  };
}

function resolved(names: DeclaredName[]): string[] {
  return names.flatMap((name) => (name.kind === "resolved" ? [name.value] : []));
}

function unresolved(names: DeclaredName[]): string[] {
  return names.flatMap((name) => (name.kind === "unresolved" ? [name.expression] : []));
}

interface MainTemplate {
  parameters: Record<string, { defaultValue?: unknown }>;
}

const root = projectRoot();
const cli = findBicep();
const skip = cli.found ? false : cli.reason;
const compiled = cli.found ? compileBicepFolder(cli.executable, path.join(root, "infra")).templates : new Map<string, unknown>();
const main = compiled.get("main.bicep");
const infra: ArmInventory = readArmInventory(main ?? {});

/** The inventory of one Bicep module given as source, compiled as infra/ is. */
function compileInventory(source: string): ArmInventory {
  if (!cli.found) throw new Error(cli.reason);
  // Without the linter: only what the template creates matters here.
  const { templates, diagnostics } = compileBicepSources(cli.executable, { "module.bicep": source }, { linter: false });
  const template = templates.get("module.bicep");
  assert.ok(template !== undefined, `the snippet does not compile: ${JSON.stringify(diagnostics)}`);
  return readArmInventory(template);
}

/** Bicep sources, for the conventions that live in comments (which ARM JSON drops). */
const bicepSources = fs
  .readdirSync(path.join(root, "infra"), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".bicep"))
  .map((file) => ({ file: path.join("infra", file), source: fs.readFileSync(path.join(root, "infra", file), "utf8") }));

describe("storage names in infra/ are exactly those of shared/config.ts", { skip }, () => {
  test("containers", () => {
    assert.deepEqual(diffNames(codeNames.containers, resolved(infra.containers)), { missing: [], unexpected: [] });
    const computed = infra.containers.flatMap((name) => (name.kind === "unresolved" ? [name.expression] : []));
    assert.deepEqual(
      computed,
      [deploymentContainerExpression],
      "only the Flex deployment container may have a computed name",
    );
  });

  test("queues", () => {
    assert.deepEqual(diffNames(codeNames.queues, resolved(infra.queues)), { missing: [], unexpected: [] });
    assert.deepEqual(unresolved(infra.queues), [], "queue names must be static for this test to see them");
  });

  test("tables", () => {
    assert.deepEqual(diffNames(codeNames.tables, resolved(infra.tables)), { missing: [], unexpected: [] });
    assert.deepEqual(unresolved(infra.tables), [], "table names must be static for this test to see them");
  });

  test("the poison queue is the one the Functions host moves failed messages to", () => {
    // The host names it `<queue>-poison`; pre-creating any other name would leave the real
    // one to be created on the first failure, unseen by alerts.
    assert.equal(storageNames.poisonQueue, `${storageNames.ingestQueue}-poison`);
  });

  test("lifecycle rules cover exactly the raw and rejected containers", () => {
    assert.deepEqual(unresolved(infra.lifecyclePrefixes), []);
    const containers = resolved(infra.lifecyclePrefixes).map((prefix) => prefix.split("/")[0] ?? "");
    assert.deepEqual(diffNames(retainedContainers, containers), { missing: [], unexpected: [] });
    for (const prefix of resolved(infra.lifecyclePrefixes)) {
      assert.ok(prefix.includes("/"), `prefixMatch "${prefix}" must name its container followed by "/"`);
    }
  });
});

describe("app settings in infra/ match what shared/config.ts reads", { skip }, () => {
  const bicepSettings = resolved(infra.appSettings);

  test("every setting the code reads in Azure is set", () => {
    assert.deepEqual(diffNames(requiredSettings, bicepSettings).missing, []);
  });

  test("no other setting is set, except the platform's own", () => {
    assert.deepEqual(diffNames([...requiredSettings, ...platformSettings], bicepSettings).unexpected, []);
    assert.deepEqual(unresolved(infra.appSettings), [], "app setting names must be static for this test to see them");
  });

  test("no connection string: storage is reached with the managed identity", () => {
    assert.ok(!bicepSettings.includes(appSettingNames.storageConnectionString));
    assert.ok(bicepSettings.includes("AzureWebJobsStorage__credential"));
  });

  test("nothing Flex Consumption rejects", () => {
    assert.deepEqual(
      bicepSettings.filter((name) => flexRejectedSettings.includes(name)),
      [],
    );
  });
});

describe("parameters", { skip }, () => {
  const parameters = (main as MainTemplate | undefined)?.parameters ?? {};
  const parametersFile = JSON.parse(fs.readFileSync(path.join(root, "infra", "main.parameters.json"), "utf8")) as {
    parameters: Record<string, { value: unknown }>;
  };

  test("main.parameters.json sets only parameters main.bicep declares", () => {
    const declared = Object.keys(parameters);
    assert.deepEqual(diffNames(declared, Object.keys(parametersFile.parameters)).unexpected, []);
  });

  test("the rate limit defaults to the code's own default everywhere", () => {
    const codeDefault = readConfig({}).rateLimitPerHour;
    assert.equal(parameters.rateLimitPerHour?.defaultValue, codeDefault);
    assert.equal(parametersFile.parameters.rateLimitPerHour?.value, `\${RATE_LIMIT_PER_HOUR=${codeDefault}}`);
  });

  test("maximumInstanceCount is one Flex Consumption accepts in every region: 40 to 1000, default 40", () => {
    const parameter = (main as { parameters: Record<string, { defaultValue?: unknown; minValue?: unknown; maxValue?: unknown }> } | undefined)?.parameters
      .maximumInstanceCount;
    assert.deepEqual({ defaultValue: parameter?.defaultValue, minValue: parameter?.minValue, maxValue: parameter?.maxValue }, { defaultValue: 40, minValue: 40, maxValue: 1000 });
    assert.equal(parametersFile.parameters.maximumInstanceCount, undefined, "main.parameters.json would override the default");
  });

  // The bound that holds on Azure: 40 instances is the floor, so one week's contention is
  // bounded by what each instance runs at once (docs/deploy.md, "Scale-out").
  test(
    "aggregation runs at most 40 documents at once at the default instance limit, about the concurrency one week's partition holds (docs/data-model.md, Contention)",
    () => {
      const queues = readHostSettings(root).queues;
      const instances = parameters.maximumInstanceCount?.defaultValue;
      assert.equal(typeof instances, "number");
      const inFlight = (instances as number) * (queues.batchSize + queues.newBatchThreshold);
      assert.ok(inFlight <= 40, `${String(instances)} instances x (${queues.batchSize} + ${queues.newBatchThreshold}) = ${inFlight} in flight`);
    },
  );
});

describe("role assignments", () => {
  // Built-in role definition IDs are the same in every tenant.
  const knownRoles: Record<string, string> = {
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
    "76199698-9eea-4c19-bc75-cec21354c6b6": "Storage Table Data Reader",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
    "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
  };
  const guidLines = bicepSources.flatMap(({ file, source }) =>
    source.split("\n").flatMap((line, index) => {
      const match = /'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/i.exec(line);
      return match?.[1] === undefined ? [] : [{ where: `${file}:${index + 1}`, guid: match[1].toLowerCase(), line }];
    }),
  );

  test("every role GUID has the role's name in a comment beside it", () => {
    assert.ok(guidLines.length > 0, "no role definition GUID found in infra/");
    for (const { where, guid, line } of guidLines) {
      const name = knownRoles[guid];
      assert.ok(name !== undefined, `${where}: ${guid} is not a role this test knows`);
      assert.ok(line.includes(`// ${name}`), `${where}: expected the comment "// ${name}"`);
    }
  });

  test("blobs get Storage Blob Data Owner, the built-in role that may write and filter by index tags", () => {
    // Blob Data Contributor has no .../blobs/tags/write nor .../blobs/filter/action: uploads
    // with tags and Find Blobs by Tags would fail with 403 in Azure, and only there.
    const roles = guidLines.map(({ guid }) => knownRoles[guid]);
    assert.ok(roles.includes("Storage Blob Data Owner"));
    assert.ok(!roles.includes("Storage Blob Data Contributor"));
    for (const role of ["Storage Queue Data Contributor", "Storage Table Data Contributor", "Monitoring Metrics Publisher"]) {
      assert.ok(roles.includes(role), `${role} missing`);
    }
  });
});

describe("what the deploying principal may assign (docs/deploy.md, the constrained RBAC Administrator)", () => {
  const roleIds = new Set(
    bicepSources.flatMap(({ source }) => [...source.matchAll(/'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/gi)].map((m) => m[1]!.toLowerCase())),
  );
  const docs = fs.readFileSync(path.join(root, "docs", "deploy.md"), "utf8");
  const condition = /```text\n(\(\n \(!\(ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/write'\}\)\)[\s\S]*?)```/.exec(docs)?.[1] ?? "";
  const allowed = [...condition.matchAll(/GuidEquals \{([^}]*)\}/g)].map((m) => m[1]!.split(",").map((id) => id.trim().toLowerCase()).sort());

  test("the condition allows exactly the roles infra/ assigns, for writing and for deleting assignments", () => {
    assert.ok(roleIds.size >= 6, [...roleIds].join(", "));
    assert.equal(allowed.length, 2, `expected a write and a delete clause in:\n${condition}`);
    for (const ids of allowed) assert.deepEqual(ids, [...roleIds].sort());
  });
});

describe("the readers of the published statistics", { skip }, () => {
  interface Assignment {
    scope: string;
    properties: { principalId: string; roleDefinitionId: string };
    copy?: { count: string };
  }
  const template = compiled.get("modules/weeklyDimensionsReaders.bicep") as { resources: unknown[]; variables: Record<string, string> } | undefined;
  const assignments = (template?.resources ?? []).filter((r): r is Assignment => (r as { type: string }).type === "Microsoft.Authorization/roleAssignments");
  const roleOf = (a: Assignment) => template?.variables[/variables\('(\w+)'\)/.exec(a.properties.roleDefinitionId)?.[1] ?? ""];

  test("each reader gets Table Data Reader on WeeklyDimensions and Blob Data Reader on the datasets container, and nothing else", () => {
    assert.deepEqual(
      assignments.map((a) => ({ role: roleOf(a), scope: a.scope, each: a.copy?.count, principal: a.properties.principalId })),
      [
        {
          role: "76199698-9eea-4c19-bc75-cec21354c6b6",
          scope: "[resourceId('Microsoft.Storage/storageAccounts/tableServices/tables', parameters('storageAccountName'), 'default', parameters('tableName'))]",
          each: "[length(parameters('readers'))]",
          principal: "[parameters('readers')[copyIndex()].principalId]",
        },
        {
          role: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
          scope: "[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('storageAccountName'), 'default', parameters('datasetsContainerName'))]",
          each: "[length(parameters('readers'))]",
          principal: "[parameters('readers')[copyIndex()].principalId]",
        },
      ],
    );
  });

  test("main.bicep hands the module the container storage.bicep creates", () => {
    assert.match(fs.readFileSync(path.join(root, "infra", "main.bicep"), "utf8"), /datasetsContainerName: storage\.outputs\.datasetsContainerName/);
    assert.match(fs.readFileSync(path.join(root, "infra", "modules", "storage.bicep"), "utf8"), /output datasetsContainerName string = datasetsContainer\.name/);
    assert.ok(resolved(infra.containers).includes(storageNames.datasetsContainer));
  });
});

describe("the drift checks catch drift", { skip }, () => {
  // The parents the snippets below hang their resources on, as modules/storage.bicep does.
  const parents = `
resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: 'stdrift'
}
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' existing = {
  parent: storage
  name: 'default'
}
resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' existing = {
  parent: storage
  name: 'default'
}
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' existing = {
  parent: storage
  name: 'default'
}
`;
  // A module that drifted every way at once: a misspelled container, a queue named through
  // a loop, a table named through a var, a setting typo, and a connection string.
  const drifted = compileInventory(`${parents}
var queueNames = [
  'usage-ingested'
]
var statsTable = 'WeeklyStat'
@description('Prefix.')
param prefix string
@description('Region.')
param location string

resource raw 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'raws'
}
resource rejected 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'rejected'
}
resource computed 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: '\${prefix}-data'
}
resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = [for queue in queueNames: {
  parent: queueService
  name: queue
}]
resource hierarchyWeeks 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tableService
  name: 'HierarchyWeeks'
}
resource weeklyStats 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tableService
  name: statsTable
}
resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: 'func'
  location: location
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'AzureWebJobsStorage'
          value: 'DefaultEndpointsProtocol=https;AccountName=x'
        }
        {
          name: 'RATE_LIMIT_PER_HOURS'
          value: '120'
        }
      ]
    }
  }
}
`);

  test("a misspelled container is both missing and unexpected; a computed one is unresolved", () => {
    // The drifted module creates no dataset container either.
    assert.deepEqual(diffNames(codeNames.containers, resolved(drifted.containers)), { missing: [storageNames.datasetsContainer, storageNames.rawContainer], unexpected: ["raws"] });
    assert.deepEqual(
      drifted.containers.flatMap((name) => (name.kind === "unresolved" ? [name.expression] : [])),
      ["format('{0}-data', parameters('prefix'))"],
    );
  });

  test("a queue created through a loop is seen, and the missing poison queue is reported", () => {
    assert.deepEqual(diffNames(codeNames.queues, resolved(drifted.queues)), {
      // The drifted module creates none of the publishing queues either.
      missing: ["usage-ingested-poison", "weekly-dimensions-publish", "weekly-dimensions-publish-poison"],
      unexpected: [],
    });
  });

  test("a table named through a var is resolved and its typo reported", () => {
    assert.deepEqual(diffNames(codeNames.tables, resolved(drifted.tables)), {
      missing: ["WeeklyDimensions", "WeeklyStats"],
      unexpected: ["WeeklyStat"],
    });
  });

  test("a misspelled setting and a connection string are reported", () => {
    const settings = resolved(drifted.appSettings);
    assert.deepEqual(diffNames(requiredSettings, settings).missing, [
      appSettingNames.appInsightsConnectionString,
      appSettingNames.storageAccountName,
      appSettingNames.storageClientId,
      appSettingNames.rateLimitPerHour,
      appSettingNames.rateLimitInvalidPerHour,
      appSettingNames.statsMinHierarchies,
    ].sort());
    assert.deepEqual(diffNames([...requiredSettings, ...platformSettings], settings).unexpected, [
      "AzureWebJobsStorage",
      "RATE_LIMIT_PER_HOURS",
    ]);
  });

  test("an app setting in a sites/config appsettings resource is seen too", () => {
    const inventory = compileInventory(`${parents}
resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: 'func'
}
resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    RATE_LIMIT_PER_HOUR: '120'
    AzureWebJobsStorage__accountName: storage.name
  }
}
`);
    assert.deepEqual(resolved(inventory.appSettings), ["RATE_LIMIT_PER_HOUR", "AzureWebJobsStorage__accountName"]);
  });

  test("an existing resource creates nothing and is not counted", () => {
    const inventory = compileInventory(`${parents}
resource old 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = {
  parent: blobService
  name: 'legacy'
}
output OLD string = old.id
`);
    assert.deepEqual(inventory.containers, []);
  });
});
