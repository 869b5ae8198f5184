import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { dimensionNamed, dimensions, type Dimension, type DimensionValueByKind } from "../../../shared/aggregation/dimensions";
import { bucketIndexOf } from "../../../shared/aggregation/logBuckets";
import { findDocumentType } from "../../../shared/validation/documentTypes";
import type { UsageDocument } from "../../../shared/validation/usageDocument";
import { arbitraryUsageDocument, arbitraryUsageV2Document, makeDimensionDocuments, makeUsageDocument, prototypeKeys, siteRoles, testNow } from "../../../devkit/usageDocuments";

type Value = DimensionValueByKind[keyof DimensionValueByKind] | undefined;

/** The contract's table (section 4.1), written out here so that the list cannot drift from it unseen. */
const contractTable: [name: string, kind: string, level: string][] = [
  ["version", "hierarchy", "basic"],
  ["build", "hierarchy", "basic"],
  ["branch", "hierarchy", "basic"],
  ["level", "hierarchy", "basic"],
  ["connectionMode", "hierarchy", "basic"],
  ["topology", "hierarchy", "basic"],
  ["sqlVersion", "hierarchy", "basic"],
  ["sqlEdition", "hierarchy", "basic"],
  ["alwaysOn", "hierarchy", "basic"],
  ["softwareAssurance", "hierarchy", "basic"],
  ["versionBySqlVersion", "hierarchy", "basic"],
  ["siteType", "set", "basic"],
  ["siteRole", "set", "basic"],
  ["os", "clients", "basic"],
  ["clientBuild", "clients", "basic"],
  ["officeVersion", "clients", "basic"],
  ["endpointProtection", "clients", "full"],
  ["clients", "distribution", "basic"],
  ["sites", "distribution", "basic"],
  ["databaseSizeMb", "distribution", "basic"],
  ["entraJoinedPercent", "distribution", "basic"],
  ["coManagedPercent", "distribution", "basic"],
  ["softwareUpdateCompliancePercent", "distribution", "full"],
  ["scanSuccessPercent", "distribution", "full"],
  ["collectionRuntimeSeconds", "distribution", "basic"],
  // Version 2's (sinceVersion 2).
  ["setupInstallType", "hierarchy", "basic"],
  ["lastUpdatePackState", "hierarchy", "basic"],
  ["languagePack", "set", "basic"],
  ["windowsBuild", "clients", "basic"],
  ["architecture", "clients", "basic"],
  ["tenantAttached", "hierarchy", "basic"],
  ["cmgRegion", "set", "basic"],
  ["cmgCount", "distribution", "basic"],
  ["coManagementWorkload", "set", "enhanced"],
  ["adrCount", "distribution", "enhanced"],
  ["updateScanError", "set", "enhanced"],
  ["osdTaskSequences", "distribution", "enhanced"],
  ["osdStepType", "clients", "enhanced"],
];

/** Version 2's dimensions: the contract's second table. */
const v2Names = contractTable.slice(contractTable.findIndex(([name]) => name === "setupInstallType")).map(([name]) => name);

/** A v1 document carries none of version 2's fields, so none of its dimensions applies. */
const noV2Values: Record<string, Value> = Object.fromEntries(v2Names.map((name) => [name, undefined]));

const allRoles = (count: number) => new Map(siteRoles.map((role) => [role, count]));

/** The version 1 dimensions of the full document, which its version 2 twin shares. */
const fullV1Values: Record<string, Value> = {
    version: "2409",
    build: "5.00.9132.1000",
    branch: "current",
    level: "full",
    connectionMode: "online",
    topology: "cas",
    sqlVersion: "16.0",
    sqlEdition: "enterprise",
    alwaysOn: "true",
    softwareAssurance: "active",
    versionBySqlVersion: "2409|16.0",
    siteType: new Map([["cas", 1], ["primary", 1], ["secondary", 1]]),
    siteRole: new Map([["service-connection-point", 1], ["management-point", 2], ["distribution-point", 2]]),
    os: new Map([["Windows 11 24H2", 60], ["__proto__", 40]]),
    clientBuild: new Map([["5.00.9132.1000", 70], ["5.00.9128.1000", 30]]),
    officeVersion: new Map([["constructor", 30], ["Office 2019", 0]]),
    endpointProtection: new Map([["protected", 80], ["atRisk", 12], ["unknown", 5], ["unsupported", 3]]),
    clients: 100,
    sites: 3,
    databaseSizeMb: 51858,
    entraJoinedPercent: 25,
    coManagedPercent: 50,
    softwareUpdateCompliancePercent: 91.5,
    scanSuccessPercent: 98,
    collectionRuntimeSeconds: 264.5,
};

/**
 * Every dimension's value for each of makeDimensionDocuments' documents, by label. Each
 * entry names every dimension, so that a new dimension cannot pass without its expectations.
 */
const expected: Record<string, Record<string, Value>> = {
  "full, every optional field, a CAS, Software Assurance ending that day": {
    ...fullV1Values,
    ...noV2Values,
  },
  "full, a standalone primary without roles or clients, no optional field but the percentages' counts": {
    version: "2403",
    build: "5.00.9128.1000",
    branch: "ltsb",
    level: "full",
    connectionMode: "offline",
    topology: "standalone",
    sqlVersion: "13.0",
    sqlEdition: "express",
    alwaysOn: "false",
    softwareAssurance: "none",
    versionBySqlVersion: "2403|13.0",
    siteType: new Map([["primary", 1]]),
    // The roles are there (the schema requires them), only empty: the dimension applies, with no value.
    siteRole: new Map(),
    os: new Map([["Windows 10 22H2", 0]]),
    clientBuild: new Map([["5.00.9128.1000", 0]]),
    officeVersion: undefined,
    endpointProtection: undefined,
    clients: 0,
    sites: 1,
    databaseSizeMb: 0,
    entraJoinedPercent: undefined,
    coManagedPercent: undefined,
    softwareUpdateCompliancePercent: 0,
    scanSuccessPercent: 100,
    collectionRuntimeSeconds: 0,
    ...noV2Values,
  },
  "enhanced, Software Assurance ended the day before, no optional field": {
    version: "2411",
    build: "5.00.9135.1000",
    branch: "technical-preview",
    level: "enhanced",
    connectionMode: "online",
    topology: "cas",
    sqlVersion: "15.0",
    sqlEdition: "standard",
    alwaysOn: "false",
    softwareAssurance: "expired",
    versionBySqlVersion: "2411|15.0",
    siteType: new Map([["cas", 1], ["primary", 2]]),
    siteRole: new Map([["service-connection-point", 1], ["management-point", 2], ["software-update-point", 1]]),
    os: new Map([["constructor", 7], ["Windows 11 23H2", 3]]),
    clientBuild: new Map([["5.00.9132.1000", 10]]),
    officeVersion: undefined,
    endpointProtection: undefined,
    clients: 10,
    sites: 3,
    databaseSizeMb: 1_000_000_000_000,
    entraJoinedPercent: undefined,
    coManagedPercent: undefined,
    softwareUpdateCompliancePercent: undefined,
    scanSuccessPercent: undefined,
    collectionRuntimeSeconds: 604_800,
    ...noV2Values,
  },
  "basic, every role twice, empty Office versions, every client co-managed, the smallest runtime": {
    version: "2409",
    build: "5.00.9132.1000",
    branch: "current",
    level: "basic",
    connectionMode: "offline",
    topology: "standalone",
    sqlVersion: "2147483647.2147483647",
    sqlEdition: "azure-sql-mi",
    alwaysOn: "true",
    softwareAssurance: "active",
    versionBySqlVersion: "2409|2147483647.2147483647",
    siteType: new Map([["primary", 1], ["secondary", 1]]),
    siteRole: allRoles(2),
    os: new Map([["Windows 11 24H2", 40]]),
    clientBuild: new Map([["5.00.9132.1000", 40]]),
    // Carried but empty: it applies, with no value.
    officeVersion: new Map(),
    endpointProtection: undefined,
    clients: 40,
    sites: 2,
    databaseSizeMb: 1,
    entraJoinedPercent: 0,
    coManagedPercent: 100,
    softwareUpdateCompliancePercent: undefined,
    scanSuccessPercent: undefined,
    collectionRuntimeSeconds: Number.MIN_VALUE,
    ...noV2Values,
  },
  "version 2, full, every v2 part": {
    ...fullV1Values,
    setupInstallType: "upgrade",
    lastUpdatePackState: "2409|failed",
    languagePack: new Map([["de-DE", 1], ["ja-JP", 1]]),
    windowsBuild: new Map([["10.0.26100", 60], ["10.0.22631", 40]]),
    architecture: new Map([["x64", 90], ["arm64", 10]]),
    tenantAttached: "true",
    cmgRegion: new Map([["westeurope", 1], ["eastus", 1]]),
    cmgCount: 2,
    coManagementWorkload: new Map([["clientApps|intune", 1], ["compliancePolicies|pilot", 1], ["windowsUpdatePolicies|configmgr", 1]]),
    adrCount: 12,
    updateScanError: new Map([["-2145124329", 31], ["2149842967", 4]]),
    osdTaskSequences: 3,
    osdStepType: new Map([["ApplyOperatingSystem", 3], ["constructor", 0]]),
  },
  "version 2, basic, empty language packs and regions, no update pack, architecture only": {
    version: "2409",
    build: "5.00.9132.1000",
    branch: "current",
    level: "basic",
    connectionMode: "offline",
    topology: "standalone",
    sqlVersion: "2147483647.2147483647",
    sqlEdition: "azure-sql-mi",
    alwaysOn: "true",
    softwareAssurance: "active",
    versionBySqlVersion: "2409|2147483647.2147483647",
    siteType: new Map([["primary", 1], ["secondary", 1]]),
    siteRole: allRoles(2),
    os: new Map([["Windows 11 24H2", 40]]),
    clientBuild: new Map([["5.00.9132.1000", 40]]),
    officeVersion: new Map(),
    endpointProtection: undefined,
    clients: 40,
    sites: 2,
    databaseSizeMb: 1,
    entraJoinedPercent: 0,
    coManagedPercent: 100,
    softwareUpdateCompliancePercent: undefined,
    scanSuccessPercent: undefined,
    collectionRuntimeSeconds: Number.MIN_VALUE,
    setupInstallType: "new",
    lastUpdatePackState: undefined,
    // Carried but empty: they apply, with no value.
    languagePack: new Map(),
    windowsBuild: undefined,
    architecture: new Map([["x86", 40]]),
    tenantAttached: "false",
    cmgRegion: new Map(),
    cmgCount: 0,
    // Below enhanced: version 2's enhanced dimensions do not apply.
    coManagementWorkload: undefined,
    adrCount: undefined,
    updateScanError: undefined,
    osdTaskSequences: undefined,
    osdStepType: undefined,
  },
};

/** The dimensions whose field a valid document may leave out (or, for the percentages, have nothing to divide). */
const optional = new Set(["officeVersion", "endpointProtection", "entraJoinedPercent", "coManagedPercent", "softwareUpdateCompliancePercent", "scanSuccessPercent", ...v2Names]);

/** What a table-driven case compares: Maps as their entries in insertion order, so order is checked too. */
function comparable(value: Value): unknown {
  return value instanceof Map ? { map: [...value.entries()] } : value;
}

test("the list is the contract's table: names, kinds and levels in its order", () => {
  assert.deepEqual(
    dimensions.map((d) => [d.name, d.kind, d.level]),
    contractTable,
  );
});

test("sinceVersion: 1 for the first table's dimensions, 2 for version 2's", () => {
  for (const d of dimensions) assert.equal(d.sinceVersion, v2Names.includes(d.name) ? 2 : 1, d.name);
});

test("a v1 snapshot never counts in version 2's dimensions", () => {
  for (const { document } of makeDimensionDocuments().filter((d) => d.document.schemaVersion === 1)) {
    for (const d of dimensions.filter((d) => d.sinceVersion === 2)) assert.equal(d.read(document), undefined, d.name);
  }
});

test("each description is one sentence", () => {
  for (const d of dimensions) {
    assert.match(d.description, /^[^\n]{10,200}\.$/, d.name);
    assert.ok(!/\.\s/.test(d.description), `${d.name}: more than one sentence`);
  }
});

test("dimensionNamed finds every dimension and nothing else, __proto__ included", () => {
  assert.equal(new Set(dimensions.map((d) => d.name)).size, dimensions.length, "names are unique");
  for (const d of dimensions) assert.equal(dimensionNamed(d.name), d);
  for (const name of [...prototypeKeys, "", "Version", "os ", "stats"]) assert.equal(dimensionNamed(name), undefined, name);
});

test("the dimension documents are valid, and every dimension is read from them as the contract says", () => {
  const documents = makeDimensionDocuments();
  assert.deepEqual(documents.map((d) => d.label), Object.keys(expected));
  for (const { label, document } of documents) {
    const result = findDocumentType("usage", document.schemaVersion)!.validate(structuredClone(document), { docId: document.docId, docVersion: document.schemaVersion }, testNow);
    assert.ok(result.ok, `${label}: ${JSON.stringify(result)}`);
    const values = expected[label]!;
    assert.deepEqual(Object.keys(values), dimensions.map((d) => d.name), `${label}: every dimension has its expectation`);
    for (const d of dimensions) assert.deepEqual(comparable(d.read(document)), comparable(values[d.name]), `${label}: ${d.name}`);
  }
});

test("between them the documents give every dimension a value, and leave out each that can be absent", () => {
  const documents = makeDimensionDocuments().map(({ document }) => document);
  for (const d of dimensions) {
    assert.ok(documents.some((doc) => d.read(doc) !== undefined), `${d.name} has a value somewhere`);
    assert.equal(documents.some((doc) => d.read(doc) === undefined), optional.has(d.name), `${d.name} absent somewhere`);
  }
});

test("softwareAssurance compares the expiry with the UTC date of collectedAt", () => {
  const softwareAssurance = dimensionNamed("softwareAssurance")!;
  const cases: [collectedAt: string, expires: string | undefined, value: string][] = [
    ["2026-11-18T00:00:00Z", "2026-11-18", "active"],
    ["2026-11-18T23:59:59.999999999Z", "2026-11-18", "active"],
    ["2026-11-19T00:00:00.000Z", "2026-11-18", "expired"],
    ["2026-11-18T12:00:00Z", "2026-11-19", "active"],
    ["2026-01-01T00:00:00Z", "2025-12-31", "expired"],
    ["2026-11-18T12:00:00Z", undefined, "none"],
  ];
  for (const [collectedAt, softwareAssuranceExpires, value] of cases) {
    const product = { version: "2409", build: "5.00.9132.1000", branch: "current" as const, ...(softwareAssuranceExpires === undefined ? {} : { softwareAssuranceExpires }) };
    assert.equal(softwareAssurance.read(makeUsageDocument({ collectedAt, product })), value, `${collectedAt} ${String(softwareAssuranceExpires)}`);
  }
});

test("sqlVersion is the first two parts as written", () => {
  const sqlVersion = dimensionNamed("sqlVersion")!;
  const cases: [string, string][] = [
    ["15.0.4153.1", "15.0"],
    ["16.0.1000.6", "16.0"],
    ["12.00.6024.0", "12.00"],
    ["9.0.0.0", "9.0"],
  ];
  for (const [text, value] of cases) {
    const document = makeUsageDocument({ database: { sqlVersion: text, sqlEdition: "standard", sizeMb: 1, alwaysOn: false } });
    assert.equal(sqlVersion.read(document), value, text);
  }
});

test("a dimension never reads a snapshot below its level, even one that carries the field", () => {
  // Not a document validation lets through (compliance below full is refused): the level
  // alone must keep it out, wherever the field came from.
  // The v2 document carries every field, those of version 2 included.
  const full = makeDimensionDocuments().find((d) => d.label === "version 2, full, every v2 part");
  for (const level of ["basic", "enhanced"] as const) {
    const below: UsageDocument = { ...full!.document, level };
    for (const d of dimensions) {
      const value = d.read(below);
      if (d.level === "full" || (d.level === "enhanced" && level === "basic")) assert.equal(value, undefined, `${d.name} at ${level}`);
      else assert.notEqual(value, undefined, `${d.name} at ${level}`);
    }
  }
});

/** Whether a value has the shape its kind promises. */
function hasKindShape(d: Dimension, value: unknown): boolean {
  switch (d.kind) {
    case "hierarchy":
      return typeof value === "string";
    case "set":
    case "clients":
      return value instanceof Map && [...value.entries()].every(([name, count]) => typeof name === "string" && Number.isSafeInteger(count) && (count as number) >= 0);
    case "distribution":
      return typeof value === "number" && Number.isFinite(value) && value >= 0;
  }
}

test("on any valid document: values of their kind's shape, absent only below the level or without the field, and every distribution value has a bucket", () => {
  const ranks = { basic: 1, enhanced: 2, full: 3 };
  fc.assert(
    fc.property(fc.oneof(arbitraryUsageDocument, arbitraryUsageV2Document), (document) => {
      for (const d of dimensions) {
        const value = d.read(document);
        if (ranks[document.level] < ranks[d.level]) {
          assert.equal(value, undefined, d.name);
          continue;
        }
        if (value === undefined) {
          assert.ok(optional.has(d.name), d.name);
          continue;
        }
        assert.ok(hasKindShape(d, value), `${d.name}: ${JSON.stringify(value instanceof Map ? [...value] : value)}`);
        if (d.kind === "distribution") assert.ok(Number.isSafeInteger(bucketIndexOf(value as number)), d.name);
      }
      const siteTypes = dimensionNamed("siteType")!.read(document) as ReadonlyMap<string, number>;
      assert.equal([...siteTypes.values()].reduce((a, b) => a + b, 0), document.sites.length);
      assert.deepEqual([...(dimensionNamed("os")!.read(document) as ReadonlyMap<string, number>).keys()], Object.keys(document.clients.byOs));
    }),
    { numRuns: 300 },
  );
});
