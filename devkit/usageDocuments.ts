/**
 * Valid `usage` v1 documents for tests and benchmarks: a typical one with overrides, the
 * largest the schema allows, and a fast-check arbitrary of valid documents.
 *
 * Maps are built with Object.fromEntries (CreateDataProperty), never `obj[key] = value`:
 * a key `__proto__` must become an own property, exactly as JSON.parse makes it.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fc from "fast-check";
import type { UsageDocument } from "../shared/validation/usageDocument";
import type { Clients, Feature, Level, Site, SiteRole, UsageV1 } from "../shared/validation/usageV1";

/** The clock validation tests pass as `now`; every collectedAt below is before it. */
export const testNow = new Date("2026-11-25T12:00:00.000Z");

export const siteRoles: readonly SiteRole[] = Object.freeze([
  "management-point",
  "distribution-point",
  "software-update-point",
  "service-connection-point",
  "reporting-services-point",
  "cloud-management-gateway",
  "state-migration-point",
  "fallback-status-point",
  "endpoint-protection-point",
]);

/** Keys that break code which uses plain objects as maps; all are ordinary names here. */
export const prototypeKeys: readonly string[] = Object.freeze([
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "isPrototypeOf",
  "__defineGetter__",
]);

/** A fresh hierarchy or site id: Base64 SHA-256 of a random GUID, as SCPs make them. */
export function randomBase64Sha256(): string {
  return createHash("sha256").update(randomBytes(16)).digest("base64");
}

/** A fixed Base64 SHA-256 derived from `seed`, for reproducible documents. */
export function base64Sha256Of(seed: string): string {
  return createHash("sha256").update(seed).digest("base64");
}

/**
 * Splits `total` into `parts` non-negative integers that add up to it exactly, weighted by
 * `weights` (cycled) so that the parts look unequal.
 */
export function splitTotal(total: number, parts: number, weights: readonly number[] = [5, 3, 8, 2, 7, 1]): number[] {
  if (parts <= 0) return [];
  const chosen = Array.from({ length: parts }, (_, index) => weights[index % weights.length] ?? 1);
  const weightSum = chosen.reduce((sum, weight) => sum + weight, 0);
  // All-zero weights: everything goes to the last part below.
  const result = chosen.map((weight) => (weightSum === 0 ? 0 : Math.floor((total * weight) / weightSum)));
  const remainder = total - result.reduce((sum, part) => sum + part, 0);
  result[result.length - 1] = (result[result.length - 1] ?? 0) + remainder;
  return result;
}

function mapOf(keys: readonly string[], values: readonly number[]): Record<string, number> {
  return Object.fromEntries(keys.map((key, index) => [key, values[index] ?? 0]));
}

const typicalOsNames = [
  "Windows 11 24H2",
  "Windows 11 23H2",
  "Windows 10 22H2",
  "Windows 10 Enterprise LTSC 2021",
  "Windows Server 2022",
  "Windows Server 2019",
  "Windows Server 2016",
  "Windows 10 Enterprise LTSC 2019",
];
const typicalClientBuilds = ["5.00.9132.1000", "5.00.9128.1000", "5.00.9122.1000"];
const typicalOfficeVersions = ["Microsoft 365 Apps 2408", "Microsoft 365 Apps 2402", "Microsoft 365 Apps 2308", "Office 2019", "Office 2016"];

/** Clients whose every breakdown adds up to `total`. */
export function clientsForTotal(total: number): Clients {
  return {
    total,
    byClientBuild: mapOf(typicalClientBuilds, splitTotal(total, typicalClientBuilds.length)),
    byOs: mapOf(typicalOsNames, splitTotal(total, typicalOsNames.length)),
    byOfficeVersion: mapOf(typicalOfficeVersions, splitTotal(Math.floor(total / 2), typicalOfficeVersions.length)),
    entraJoined: Math.floor(total / 3),
    coManaged: Math.floor(total / 5),
  };
}

function typicalSites(): Site[] {
  const site = (type: Site["type"], clientCount: number, utcOffsetMinutes: number, roles: SiteRole[]): Site => ({
    siteHash: randomBase64Sha256(),
    type,
    build: "5.00.9132.1000",
    clientCount,
    utcOffsetMinutes,
    roles,
  });
  return [
    site("cas", 12, 60, ["service-connection-point", "reporting-services-point", "management-point"]),
    site("primary", 4210, 60, ["management-point", "distribution-point", "software-update-point"]),
    site("primary", 2877, -300, ["management-point", "distribution-point", "cloud-management-gateway"]),
    site("primary", 1535, 330, ["management-point", "software-update-point", "endpoint-protection-point"]),
    site("secondary", 388, 330, ["distribution-point", "management-point"]),
    site("secondary", 96, 540, ["distribution-point"]),
  ];
}

const typicalFeatures: Record<string, Feature> = {
  cmPivot: { enabled: true, uses: 32 },
  coManagement: { enabled: true, uses: 195 },
  cloudManagementGateway: { enabled: true },
  peerCache: { enabled: true, uses: 453 },
  tenantAttach: { enabled: true, uses: 173 },
  orchestrationGroups: { enabled: false },
  phasedDeployments: { enabled: true, uses: 184 },
  endpointAnalytics: { enabled: false },
  taskSequenceDebugger: { enabled: true, uses: 12 },
  managementInsights: { enabled: true, uses: 5 },
  azureAdUserDiscovery: { enabled: true },
};

function levelAtLeast(level: Level, minimum: Level): boolean {
  const ranks: Record<Level, number> = { basic: 1, enhanced: 2, full: 3 };
  return ranks[level] >= ranks[minimum];
}

/**
 * A valid, typical document (a CAS, three primaries, two secondaries; about 3 KB as JSON),
 * with `overrides` applied on top:
 * - `docId` and `hierarchyId` are random unless given, so tests do not collide;
 * - `collectedAt` is 2026-11-18T03:00:37.000Z (ISO week 2026-W47) unless given;
 * - `level` (default enhanced) decides whether `features` and `compliance` are present,
 *   unless they are given; give one as `undefined` to leave it out;
 * - `clients` follow the sites' clientCount sum unless given.
 *
 * Whatever is given wins, so overrides can make it invalid on purpose.
 */
export function makeUsageDocument(overrides: Partial<UsageV1> = {}): UsageV1 {
  const level = overrides.level ?? "enhanced";
  const sites = overrides.sites ?? typicalSites();
  const document: UsageV1 = {
    schemaVersion: 1,
    docId: randomUUID(),
    hierarchyId: randomBase64Sha256(),
    collectedAt: "2026-11-18T03:00:37.000Z",
    level,
    connectionMode: "online",
    product: { version: "2409", build: "5.00.9132.1000", branch: "current", softwareAssuranceExpires: "2027-06-30" },
    sites,
    database: { sqlVersion: "15.0.4153.1", sqlEdition: "enterprise", sizeMb: 51858, alwaysOn: false },
    clients: clientsForTotal(sites.reduce((sum, site) => sum + site.clientCount, 0)),
    collection: { runtimeSeconds: 264.5, errors: 0 },
  };
  if (levelAtLeast(level, "enhanced")) document.features = structuredClone(typicalFeatures);
  if (levelAtLeast(level, "full")) {
    document.compliance = {
      softwareUpdateCompliancePercent: 91.5,
      scanSuccessPercent: 98,
      endpointProtection: { protected: 8000, atRisk: 12, unknown: 30, unsupported: 4 },
    };
  }
  const merged: Record<string, unknown> = { ...document, ...overrides };
  for (const key of Object.keys(merged)) {
    if (merged[key] === undefined) Reflect.deleteProperty(merged, key);
  }
  return merged as unknown as UsageV1;
}

/** `count` distinct names of exactly `length` characters, each starting with `prefix`. */
function maxLengthNames(prefix: string, count: number, length: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const stem = `${prefix}${String(index).padStart(3, "0")} `;
    return (stem + "x".repeat(length)).slice(0, length);
  });
}

/**
 * The largest document the schema allows within reason: full level; 250 sites (a CAS, 25
 * primaries, 224 secondaries) each with all nine roles; byClientBuild, byOs, byOfficeVersion
 * and features at 500 keys each, with keys of the maximum length; counts at their maximum.
 * Names are ASCII (a name of 128 four-byte characters would be longer in bytes, but no
 * SCP reports such names). Deterministic, so benchmarks compare like with like.
 */
export function makeLargestUsageDocument(): UsageV1 {
  const total = 1_000_000_000;
  const sites: Site[] = Array.from({ length: 250 }, (_, index) => ({
    siteHash: base64Sha256Of(`site ${index}`),
    type: index === 0 ? "cas" : index <= 25 ? "primary" : "secondary",
    build: "5.00.9999.9999",
    clientCount: total / 250,
    utcOffsetMinutes: index % 2 === 0 ? -720 : 840,
    roles: [...siteRoles],
  }));
  const builds = Array.from({ length: 500 }, (_, index) => `5.00.${String(9000 + index)}.${String(1000 + index)}`);
  const features = maxLengthNames("feature", 500, 64).map((name) => name.replace(/ /g, "X"));
  return {
    schemaVersion: 1,
    docId: "7d3c6a5e-8f1b-4c2d-9e0a-1b2c3d4e5f60",
    hierarchyId: base64Sha256Of("largest hierarchy"),
    collectedAt: "2026-11-18T23:59:59.123456789Z",
    level: "full",
    connectionMode: "offline",
    product: { version: "9999", build: "5.00.9999.9999", branch: "technical-preview", softwareAssuranceExpires: "2099-12-31" },
    sites,
    database: {
      sqlVersion: "2147483647.2147483647.2147483647.2147483647",
      sqlEdition: "azure-sql-mi",
      sizeMb: 1_000_000_000_000,
      alwaysOn: true,
    },
    clients: {
      total,
      byClientBuild: mapOf(builds, Array.from({ length: 500 }, () => total / 500)),
      byOs: mapOf(maxLengthNames("Windows OS name ", 500, 128), Array.from({ length: 500 }, () => total / 500)),
      byOfficeVersion: mapOf(maxLengthNames("Office version ", 500, 128), Array.from({ length: 500 }, () => total)),
      entraJoined: total,
      coManaged: total,
    },
    features: Object.fromEntries(features.map((name) => [name, { enabled: true, uses: total }])),
    compliance: {
      softwareUpdateCompliancePercent: 99.99999999999999,
      scanSuccessPercent: 100,
      endpointProtection: { protected: total, atRisk: total, unknown: total, unsupported: total },
    },
    collection: { runtimeSeconds: 604_800, errors: total },
  };
}

/**
 * Control characters JSON.stringify writes as six (`\u0001`): all of U+0001..U+001F but
 * \b \t \n \f \r, which it writes as two. Not U+0000, which no valid document holds
 * (contract section 3).
 */
const sixEscapes = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).filter((c) => c !== "\u0000" && JSON.stringify(c).length === 8);

/**
 * Name number `n` of 128 characters that each JSON-escape to six (768 characters as JSON):
 * the costliest name the schema allows in a table row. Distinct for every `n` below 26^5.
 */
export function escapedName(n: number): string {
  const digits = Array.from({ length: 5 }, (_, i) => sixEscapes[Math.floor(n / sixEscapes.length ** i) % sixEscapes.length]!);
  return digits.join("").padEnd(128, sixEscapes[0]);
}

/**
 * The worst document for the weekly statistics' rows, valid against the schema: the largest
 * document (makeLargestUsageDocument) whose 500 OS names and 500 Office version names are
 * `escapedName`s and whose 500 features have names of the longest length, all of them this
 * `variant`'s own (up to 1,000 variants), so that documents of different variants share no name.
 */
export function makeWorstCaseUsageDocument(variant: number, overrides: Partial<UsageV1> = {}): UsageV1 {
  const largest = makeLargestUsageDocument();
  const per = (offset: number) => Array.from({ length: 500 }, (_, i) => escapedName((variant * 2 + offset) * 500 + i));
  const counts = Array.from({ length: 500 }, () => largest.clients.total / 500);
  const features = maxLengthNames(`f${String(variant).padStart(3, "0")}x`, 500, 64).map((name) => name.replace(/ /g, "X"));
  return {
    ...largest,
    docId: randomUUID(),
    clients: { ...largest.clients, byOs: mapOf(per(0), counts), byOfficeVersion: mapOf(per(1), counts) },
    features: Object.fromEntries(features.map((name) => [name, { enabled: true, uses: 1_000_000_000 }])),
    ...overrides,
  };
}

// ---- usage version 2 (contract section 3.2) ----

/** A typical v2 document: makeUsageDocument's, relabelled, with each of version 2's parts at a usual size. */
export function makeUsageV2Document(overrides: Partial<UsageDocument> = {}): UsageDocument {
  const base = makeUsageDocument();
  const total = base.clients.total;
  const [x64 = 0, arm64 = 0] = splitTotal(total, 2, [19, 1]);
  return {
    ...base,
    schemaVersion: 2,
    clients: { ...base.clients, byWindowsBuild: mapOf(["10.0.19045", "10.0.22631", "10.0.26100"], splitTotal(total, 3)), byArchitecture: { x64, arm64 } },
    setup: { installType: "upgrade", languagePacks: ["de-DE", "fr-FR"], lastUpdatePack: { version: base.product.version, state: "installed" } },
    cloud: { cmgCount: 1, cmgRegions: ["westeurope"], tenantAttached: true },
    coManagement: { workloads: { compliancePolicies: "intune", clientApps: "pilot", windowsUpdatePolicies: "configmgr" } },
    updates: { adrCount: 8, scanErrors: [{ code: -2145124329, count: 12 }, { code: -2145107924, count: 3 }] },
    osd: { taskSequences: 5, stepsByType: { ApplyOperatingSystem: 5, InstallApplication: 21, RunCommandLine: 14 } },
    ...overrides,
  };
}

/** The largest v2 document the schema allows in each of version 2's parts, on the largest v1 document. */
export function makeLargestUsageV2Document(): UsageDocument {
  const largest = makeLargestUsageDocument();
  const total = largest.clients.total;
  const builds = Array.from({ length: 500 }, (_, i) => `10.0.${String(10_000 + i)}`);
  const letters = (i: number) => String.fromCharCode(97 + Math.floor(i / 26)) + String.fromCharCode(97 + (i % 26));
  const workloads = ["compliancePolicies", "deviceConfiguration", "endpointProtection", "resourceAccess", "clientApps", "officeClickToRun", "windowsUpdatePolicies"] as const;
  const stepType = (i: number) => `Step${"X".repeat(55)}${letters(i % 676)}${letters(Math.floor(i / 676) + i)}`.slice(0, 64);
  return {
    ...largest,
    schemaVersion: 2,
    clients: { ...largest.clients, byWindowsBuild: mapOf(builds, splitTotal(total, 500)), byArchitecture: { x64: total - 2, arm64: 1, x86: 1 } },
    setup: {
      installType: "recovery",
      languagePacks: Array.from({ length: 50 }, (_, i) => `${letters(i)}-${letters(i).toUpperCase()}`),
      lastUpdatePack: { version: "9999", state: "failed", errorCode: -2147483648 },
    },
    cloud: { cmgCount: 1_000_000_000, cmgRegions: Array.from({ length: 60 }, (_, i) => `${"r".repeat(30)}${letters(i)}`), tenantAttached: true },
    coManagement: { workloads: Object.fromEntries(workloads.map((w) => [w, "intune"])) },
    updates: { adrCount: 1_000_000_000, scanErrors: Array.from({ length: 10 }, (_, i) => ({ code: 4_294_967_295 - i, count: 1_000_000_000 })) },
    osd: { taskSequences: 1_000_000_000, stepsByType: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [stepType(i), 1_000_000_000])) },
  };
}

// ---- fast-check: arbitrary valid documents ----

const digits = (count: number, max = 10 ** count - 1): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max }).map((value) => String(value).padStart(count, "0"));

export const arbitraryBase64Sha256: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString("base64"));

export const arbitraryBuild: fc.Arbitrary<string> = fc
  .tuple(digits(4), digits(4))
  .map(([major, minor]) => `5.00.${major}.${minor}`);

/**
 * One code point of any kind a valid document may hold (all but U+0000 and the surrogates,
 * contract section 3), mostly printable ASCII. Built by hand: fc.string's "binary" unit
 * takes half a second to construct, on every import.
 */
const arbitraryCodePoint: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 0x10ffff - 0x800 }).map((n) => (n < 0xd800 ? n : n + 0x800)) },
  )
  .map((codePoint) => String.fromCodePoint(codePoint));

/** Names (OS, Office version): any 1..128 code points, often ones that break naive maps. */
export const arbitraryName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...prototypeKeys, "Windows 11 24H2", "a/b~c", "~0~1", " ", "Windows 10 für Workstations", "\u{1F600}".repeat(128)),
  fc.string({ unit: arbitraryCodePoint, minLength: 1, maxLength: 128 }),
);

export const arbitraryFeatureName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("constructor", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf", "cmPivot"),
  fc.stringMatching(/^[a-z][A-Za-z0-9]{0,63}$/),
);

/**
 * Names of 128 characters that each JSON-escape to six: control characters (lone
 * surrogates would too, but no valid document holds them).
 */
export const arbitraryEscapedName: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(...sixEscapes),
  minLength: 128,
  maxLength: 128,
});

/** `doc` with its clients reported under `names` instead (the total unchanged, split over them). */
export function withOsNames<D extends UsageDocument>(doc: D, names: readonly string[]): D {
  return { ...doc, clients: { ...doc.clients, byOs: mapOf(names, splitTotal(doc.clients.total, names.length)) } };
}

const arbitraryCount = fc.integer({ min: 0, max: 1_000_000_000 });

/** A map with `keys` whose values add up to `total`. */
function arbitraryMapSummingTo(keys: fc.Arbitrary<string>, total: number): fc.Arbitrary<Record<string, number>> {
  return fc
    .tuple(
      fc.uniqueArray(keys, { minLength: 1, maxLength: 12 }),
      fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
    )
    .map(([names, weights]) => mapOf(names, splitTotal(total, names.length, weights)));
}

const arbitrarySite = (type: Site["type"], siteHash: string): fc.Arbitrary<Site> =>
  fc.record({
    siteHash: fc.constant(siteHash),
    type: fc.constant(type),
    build: arbitraryBuild,
    clientCount: fc.integer({ min: 0, max: 3_000_000 }),
    utcOffsetMinutes: fc.integer({ min: -720, max: 840 }),
    roles: fc.shuffledSubarray([...siteRoles]),
  });

/** Site types that obey the topology rules: a CAS with 1..25 primaries, or one primary; some secondaries. */
const arbitrarySiteTypes: fc.Arbitrary<Site["type"][]> = fc
  .tuple(fc.boolean(), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 6 }))
  .chain(([withCas, primaries, secondaries]) => {
    const types: Site["type"][] = [
      ...(withCas ? (["cas"] as const) : []),
      ...Array.from({ length: withCas ? primaries : 1 }, () => "primary" as const),
      ...Array.from({ length: secondaries }, () => "secondary" as const),
    ];
    return fc.shuffledSubarray(types, { minLength: types.length, maxLength: types.length });
  });

const arbitrarySites: fc.Arbitrary<Site[]> = arbitrarySiteTypes.chain((types) =>
  fc
    .uniqueArray(arbitraryBase64Sha256, { minLength: types.length, maxLength: types.length })
    .chain((hashes) => fc.tuple(...types.map((type, index) => arbitrarySite(type, hashes[index] ?? "")))),
);

const arbitraryCollectedAt: fc.Arbitrary<string> = fc
  .tuple(
    fc.date({ min: new Date("2015-01-01T00:00:00.000Z"), max: new Date("2026-11-24T23:59:59.999Z"), noInvalidDate: true }),
    fc.constantFrom("millis", "seconds", "dotnet", "nanos"),
  )
  .map(([date, style]) => {
    const iso = date.toISOString();
    if (style === "seconds") return iso.slice(0, 19) + "Z";
    if (style === "dotnet") return iso.slice(0, 23) + "0000Z";
    if (style === "nanos") return iso.slice(0, 23) + "000000Z";
    return iso;
  });

const arbitraryFeatures: fc.Arbitrary<Record<string, Feature>> = fc
  .uniqueArray(
    fc.tuple(arbitraryFeatureName, fc.boolean(), fc.option(arbitraryCount, { nil: undefined })),
    { maxLength: 12, selector: ([name]) => name },
  )
  .map((entries) =>
    Object.fromEntries(entries.map(([name, enabled, uses]) => [name, uses === undefined ? { enabled } : { enabled, uses }])),
  );

/** Any valid `usage` v1 document (valid against `testNow` or any later clock). */
export const arbitraryUsageDocument: fc.Arbitrary<UsageV1> = fc
  .record({ level: fc.constantFrom<Level>("basic", "enhanced", "full"), sites: arbitrarySites })
  .chain(({ level, sites }) => {
    const total = sites.reduce((sum, site) => sum + site.clientCount, 0);
    return fc.record(
      {
        schemaVersion: fc.constant(1 as const),
        docId: fc.uuid(),
        hierarchyId: arbitraryBase64Sha256,
        collectedAt: arbitraryCollectedAt,
        level: fc.constant(level),
        connectionMode: fc.constantFrom("online" as const, "offline" as const),
        product: fc.record(
          {
            version: digits(4),
            build: arbitraryBuild,
            branch: fc.constantFrom("current" as const, "ltsb" as const, "technical-preview" as const),
            softwareAssuranceExpires: fc
              .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
              .map((date) => date.toISOString().slice(0, 10)),
          },
          { requiredKeys: ["version", "build", "branch"] },
        ),
        sites: fc.constant(sites),
        database: fc.record({
          sqlVersion: fc.tuple(digits(2, 16), digits(1), digits(4), digits(1)).map((parts) => parts.join(".")),
          sqlEdition: fc.constantFrom("enterprise" as const, "standard" as const, "express" as const, "developer" as const, "azure-sql-mi" as const),
          sizeMb: fc.integer({ min: 0, max: 1_000_000_000_000 }),
          alwaysOn: fc.boolean(),
        }),
        clients: fc.record(
          {
            total: fc.constant(total),
            byClientBuild: arbitraryMapSummingTo(arbitraryBuild, total),
            byOs: arbitraryMapSummingTo(arbitraryName, total),
            byOfficeVersion: fc
              .uniqueArray(fc.tuple(arbitraryName, arbitraryCount), { maxLength: 8, selector: ([name]) => name })
              .map((entries) => Object.fromEntries(entries)),
            // Shares of the total (contract section 3).
            entraJoined: fc.integer({ min: 0, max: total }),
            coManaged: fc.integer({ min: 0, max: total }),
          },
          { requiredKeys: ["total", "byClientBuild", "byOs"] },
        ),
        features: level === "basic" ? fc.constant(undefined) : fc.option(arbitraryFeatures, { nil: undefined }),
        compliance:
          level === "full"
            ? fc.option(
                fc.record(
                  {
                    softwareUpdateCompliancePercent: fc.double({ min: 0, max: 100, noNaN: true }),
                    scanSuccessPercent: fc.double({ min: 0, max: 100, noNaN: true }),
                    endpointProtection: fc.record({ protected: arbitraryCount, atRisk: arbitraryCount, unknown: arbitraryCount, unsupported: arbitraryCount }),
                  },
                  { requiredKeys: ["softwareUpdateCompliancePercent", "scanSuccessPercent"] },
                ),
                { nil: undefined },
              )
            : fc.constant(undefined),
        collection: fc.record({ runtimeSeconds: fc.double({ min: 0, max: 604_800, noNaN: true }), errors: arbitraryCount }),
      },
      { requiredKeys: ["schemaVersion", "docId", "hierarchyId", "collectedAt", "level", "connectionMode", "product", "sites", "database", "clients", "collection"] },
    );
  })
  .map((document) => {
    // fc.record with optional keys still writes `features: undefined` for fc.constant(undefined): drop it.
    const copy: Record<string, unknown> = { ...document };
    for (const key of Object.keys(copy)) {
      if (copy[key] === undefined) Reflect.deleteProperty(copy, key);
    }
    return copy as unknown as UsageV1;
  });

/** Version 2's optional parts for a document of `level` with `total` clients; each may be left out. */
function arbitraryV2Parts(level: Level, total: number): fc.Arbitrary<Partial<UsageDocument>> {
  const enhancedOrFull = level !== "basic";
  const code = fc.integer({ min: -2147483648, max: 4294967295 });
  const region = fc.stringMatching(/^[a-z0-9]{2,8}$/);
  const authority = fc.constantFrom("configmgr" as const, "pilot" as const, "intune" as const);
  const workloads = ["compliancePolicies", "deviceConfiguration", "endpointProtection", "resourceAccess", "clientApps", "officeClickToRun", "windowsUpdatePolicies"] as const;
  const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
  return fc.record({
    setup: optional(
      fc.record(
        {
          installType: fc.constantFrom("new" as const, "upgrade" as const, "recovery" as const),
          languagePacks: fc.uniqueArray(fc.constantFrom("de-DE", "fr-FR", "ja-JP", "pt-BR", "zh-CN"), { maxLength: 5 }),
          lastUpdatePack: fc.record(
            { version: digits(4), state: fc.constantFrom("installed" as const, "failed" as const, "in-progress" as const), errorCode: code },
            { requiredKeys: ["version", "state"] },
          ),
        },
        { requiredKeys: ["installType", "languagePacks"] },
      ),
    ),
    byWindowsBuild: optional(arbitraryMapSummingTo(fc.stringMatching(/^10\.0\.\d{5}$/), total)),
    byArchitecture: optional(arbitraryMapSummingTo(fc.constantFrom("x64", "arm64", "x86"), total)),
    cloud: optional(fc.record({ cmgCount: arbitraryCount, cmgRegions: fc.uniqueArray(region, { maxLength: 4 }), tenantAttached: fc.boolean() })),
    coManagement: enhancedOrFull
      ? optional(fc.record({ workloads: fc.record(Object.fromEntries(workloads.map((w) => [w, authority])), { requiredKeys: [] }) }))
      : fc.constant(undefined),
    updates: enhancedOrFull
      ? optional(fc.record({ adrCount: arbitraryCount, scanErrors: fc.uniqueArray(fc.record({ code, count: fc.integer({ min: 1, max: 1000 }) }), { maxLength: 4, selector: (e) => e.code }) }))
      : fc.constant(undefined),
    osd: enhancedOrFull
      ? optional(fc.record({ taskSequences: arbitraryCount, stepsByType: fc.dictionary(fc.stringMatching(/^[A-Za-z]{1,12}$/), arbitraryCount, { maxKeys: 5 }) }))
      : fc.constant(undefined),
  }).map(({ byWindowsBuild, byArchitecture, ...parts }) => {
    const copy: Record<string, unknown> = { ...parts, byWindowsBuild, byArchitecture };
    for (const key of Object.keys(copy)) if (copy[key] === undefined) Reflect.deleteProperty(copy, key);
    return copy;
  });
}

/** Any valid `usage` v2 document: a v1 one relabelled, with any of version 2's parts its level allows. */
export const arbitraryUsageV2Document: fc.Arbitrary<UsageDocument> = arbitraryUsageDocument.chain((v1) =>
  arbitraryV2Parts(v1.level, v1.clients.total).map((parts) => {
    const { byWindowsBuild, byArchitecture, ...rest } = parts as Partial<UsageDocument> & { byWindowsBuild?: Record<string, number>; byArchitecture?: Record<string, number> };
    const clients = { ...v1.clients, ...(byWindowsBuild === undefined ? {} : { byWindowsBuild }), ...(byArchitecture === undefined ? {} : { byArchitecture }) };
    return { ...v1, ...rest, schemaVersion: 2 as const, clients };
  }),
);

// ---- documents for the dimensions (contract section 4.1) ----

/** A site with a hash fixed by `seed`, the usual build and UTC, for hand-made documents. */
export function makeSite(seed: string, type: Site["type"], clientCount: number, roles: SiteRole[]): Site {
  return { siteHash: base64Sha256Of(`site ${seed}`), type, build: "5.00.9132.1000", clientCount, utcOffsetMinutes: 0, roles };
}

/** A valid document that exercises some dimensions, and why it is there. */
export interface DimensionDocument {
  label: string;
  document: UsageDocument;
}

/**
 * Valid documents that between them give every dimension of shared/aggregation/dimensions.ts
 * a value and leave out every one that can be left out: each level; a CAS and a standalone
 * primary; Software Assurance active on the day itself, expired the day before, far ahead
 * and absent; zero clients (percentages with nothing to divide by); Office versions absent,
 * empty and with `constructor`; an OS called `__proto__`; Endpoint Protection with and
 * without its states; a site with no roles; the smallest and largest values the schema allows;
 * version 2 documents with every new part, and with the new parts empty or absent.
 * Fixed ids, so the same call gives the same documents.
 */
export function makeDimensionDocuments(): DimensionDocument[] {
  const idOf = (n: number) => ({ docId: `00000000-0000-4000-8000-00000000000${n}`, hierarchyId: base64Sha256Of(`dimension hierarchy ${n}`) });
  const full: UsageV1 = {
    schemaVersion: 1,
    ...idOf(1),
    collectedAt: "2026-11-18T03:00:37.000Z",
    level: "full",
    connectionMode: "online",
    product: { version: "2409", build: "5.00.9132.1000", branch: "current", softwareAssuranceExpires: "2026-11-18" },
    sites: [
      makeSite("1 cas", "cas", 12, ["service-connection-point", "management-point"]),
      makeSite("1 primary", "primary", 60, ["management-point", "distribution-point"]),
      makeSite("1 secondary", "secondary", 28, ["distribution-point"]),
    ],
    database: { sqlVersion: "16.0.1000.6", sqlEdition: "enterprise", sizeMb: 51858, alwaysOn: true },
    clients: {
      total: 100,
      byClientBuild: { "5.00.9132.1000": 70, "5.00.9128.1000": 30 },
      byOs: Object.fromEntries([["Windows 11 24H2", 60], ["__proto__", 40]]),
      byOfficeVersion: Object.fromEntries([["constructor", 30], ["Office 2019", 0]]),
      entraJoined: 25,
      coManaged: 50,
    },
    features: { cmPivot: { enabled: true, uses: 3 } },
    compliance: { softwareUpdateCompliancePercent: 91.5, scanSuccessPercent: 98, endpointProtection: { protected: 80, atRisk: 12, unknown: 5, unsupported: 3 } },
    collection: { runtimeSeconds: 264.5, errors: 0 },
  };
  const fullEmpty: UsageV1 = {
    schemaVersion: 1,
    ...idOf(2),
    collectedAt: "2026-11-19T00:00:00Z",
    level: "full",
    connectionMode: "offline",
    product: { version: "2403", build: "5.00.9128.1000", branch: "ltsb" },
    sites: [makeSite("2 primary", "primary", 0, [])],
    database: { sqlVersion: "13.0.5026.0", sqlEdition: "express", sizeMb: 0, alwaysOn: false },
    clients: { total: 0, byClientBuild: { "5.00.9128.1000": 0 }, byOs: { "Windows 10 22H2": 0 }, entraJoined: 0, coManaged: 0 },
    compliance: { softwareUpdateCompliancePercent: 0, scanSuccessPercent: 100 },
    collection: { runtimeSeconds: 0, errors: 3 },
  };
  const enhanced: UsageV1 = {
    schemaVersion: 1,
    ...idOf(3),
    collectedAt: "2026-11-20T00:00:00.000Z",
    level: "enhanced",
    connectionMode: "online",
    product: { version: "2411", build: "5.00.9135.1000", branch: "technical-preview", softwareAssuranceExpires: "2026-11-19" },
    sites: [
      makeSite("3 cas", "cas", 1, ["service-connection-point"]),
      makeSite("3 primary a", "primary", 5, ["management-point"]),
      makeSite("3 primary b", "primary", 4, ["management-point", "software-update-point"]),
    ],
    database: { sqlVersion: "15.0.4153.1", sqlEdition: "standard", sizeMb: 1_000_000_000_000, alwaysOn: false },
    clients: { total: 10, byClientBuild: { "5.00.9132.1000": 10 }, byOs: Object.fromEntries([["constructor", 7], ["Windows 11 23H2", 3]]) },
    features: {},
    collection: { runtimeSeconds: 604_800, errors: 0 },
  };
  const basic: UsageV1 = {
    schemaVersion: 1,
    ...idOf(4),
    collectedAt: "2026-11-21T23:59:59.9999999Z",
    level: "basic",
    connectionMode: "offline",
    product: { version: "2409", build: "5.00.9132.1000", branch: "current", softwareAssuranceExpires: "2099-12-31" },
    sites: [makeSite("4 primary", "primary", 30, [...siteRoles]), makeSite("4 secondary", "secondary", 10, [...siteRoles])],
    database: { sqlVersion: "2147483647.2147483647.2147483647.2147483647", sqlEdition: "azure-sql-mi", sizeMb: 1, alwaysOn: true },
    clients: { total: 40, byClientBuild: { "5.00.9132.1000": 40 }, byOs: { "Windows 11 24H2": 40 }, byOfficeVersion: {}, entraJoined: 0, coManaged: 40 },
    collection: { runtimeSeconds: Number.MIN_VALUE, errors: 0 },
  };
  // Version 2 (contract section 3.2): every new part, then a basic one whose new parts are empty.
  const v2Full: UsageDocument = {
    ...full,
    schemaVersion: 2,
    ...idOf(5),
    clients: { ...full.clients, byWindowsBuild: { "10.0.26100": 60, "10.0.22631": 40 }, byArchitecture: { x64: 90, arm64: 10 } },
    setup: { installType: "upgrade", languagePacks: ["de-DE", "ja-JP"], lastUpdatePack: { version: "2409", state: "failed", errorCode: -2147467259 } },
    cloud: { cmgCount: 2, cmgRegions: ["westeurope", "eastus"], tenantAttached: true },
    coManagement: { workloads: { clientApps: "intune", compliancePolicies: "pilot", windowsUpdatePolicies: "configmgr" } },
    updates: { adrCount: 12, scanErrors: [{ code: -2145124329, count: 31 }, { code: 2149842967, count: 4 }] },
    osd: { taskSequences: 3, stepsByType: Object.fromEntries([["ApplyOperatingSystem", 3], ["constructor", 0]]) },
  };
  const v2Basic: UsageDocument = {
    ...basic,
    schemaVersion: 2,
    ...idOf(6),
    clients: { ...basic.clients, byArchitecture: { x86: 40 } },
    setup: { installType: "new", languagePacks: [] },
    cloud: { cmgCount: 0, cmgRegions: [], tenantAttached: false },
  };
  return [
    { label: "full, every optional field, a CAS, Software Assurance ending that day", document: full },
    { label: "full, a standalone primary without roles or clients, no optional field but the percentages' counts", document: fullEmpty },
    { label: "enhanced, Software Assurance ended the day before, no optional field", document: enhanced },
    { label: "basic, every role twice, empty Office versions, every client co-managed, the smallest runtime", document: basic },
    { label: "version 2, full, every v2 part", document: v2Full },
    { label: "version 2, basic, empty language packs and regions, no update pack, architecture only", document: v2Basic },
  ];
}
