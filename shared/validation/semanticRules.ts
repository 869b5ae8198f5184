import type { CheckedMaps } from "./checkedMaps";
import { toJsonPointer } from "./jsonPointer";
import type { UsageDocument } from "./usageDocument";
import type { Site } from "./usageV1";
import type { DocumentError } from "./validationResult";

/**
 * The rules of contract section 3 that JSON Schema cannot say. They run only on documents
 * that already match the schema, so they may rely on its types and bounds: every count is an
 * integer <= 1e9, so every sum below (at most 500 or 250 terms) is exact.
 */

/** What the submission path says the document is, and the receiver's clock. */
export interface SemanticRuleContext {
  expected: { docId: string; docVersion: number };
  now: Date;
  /** The maps the quick validator listed and summed while checking this document, if it did. */
  checkedMaps?: CheckedMaps;
}

export type SemanticRule = (document: UsageDocument, context: SemanticRuleContext) => DocumentError[];

/** The contract's lower bound: current-branch ConfigMgr (1511), which sends this data, dates from late 2015. */
export const earliestCollectedAt = Date.UTC(2015, 0, 1);

/** Clocks drift and time zones confuse; a day ahead is tolerated, more is a broken clock. */
export const maxCollectedAtAheadMs = 24 * 60 * 60 * 1000;

/** ConfigMgr supports at most 25 primary sites under a CAS. */
export const maxPrimariesUnderCas = 25;

/**
 * Sums a count map: the sum the quick validator took while checking it, when it did (listing
 * the keys of a large map again would cost as much as checking them). Otherwise Object.keys
 * and indexing, not Object.values: maps of hundreds of keys come out of JSON.parse in
 * dictionary mode, where Object.values is three times slower.
 */
function sumOfMap(map: Readonly<Record<string, number>>, checkedMaps: CheckedMaps | undefined): number {
  const checked = checkedMaps?.find(map);
  if (checked !== undefined && !Number.isNaN(checked.sum)) return checked.sum;
  const keys = Object.keys(map);
  let total = 0;
  for (const key of keys) total += map[key] ?? 0;
  return total;
}

function sumOfClientCounts(sites: readonly Site[]): number {
  let total = 0;
  for (const site of sites) total += site.clientCount;
  return total;
}

/** The document agrees with its submission path: `schemaVersion` = docVersion, `docId` = docId. */
export function checkPathAgreement(document: UsageDocument, context: SemanticRuleContext): DocumentError[] {
  const errors: DocumentError[] = [];
  if (document.schemaVersion !== context.expected.docVersion) {
    errors.push({ path: "/schemaVersion", message: `must equal the docVersion in the path (${context.expected.docVersion})` });
  }
  // Exact comparison: the path and the body are both the SCP's, and one spelling keeps the idempotency key single.
  if (document.docId !== context.expected.docId) {
    errors.push({ path: "/docId", message: "must equal the docId in the path" });
  }
  return errors;
}

/** Whether a schema-valid collectedAt has digits below the millisecond that are not zero. */
function hasSubMillisecondPart(collectedAt: string): boolean {
  const fraction = /\.(\d+)Z$/.exec(collectedAt)?.[1] ?? "";
  return /[1-9]/.test(fraction.slice(3));
}

/** `collectedAt` is from 2015-01-01 on and not more than one day ahead of `now`. */
export function checkCollectedAt(document: UsageDocument, context: SemanticRuleContext): DocumentError[] {
  // Date.parse keeps milliseconds and drops the rest, which can only make a value look earlier:
  // exact for the lower bound, and the upper bound adds back what was dropped.
  const millis = Date.parse(document.collectedAt);
  if (Number.isNaN(millis)) return [{ path: "/collectedAt", message: "is not a date-time this receiver can place" }];
  if (millis < earliestCollectedAt) return [{ path: "/collectedAt", message: "must not be before 2015-01-01T00:00:00Z" }];
  const latest = context.now.getTime() + maxCollectedAtAheadMs;
  if (millis > latest || (millis === latest && hasSubMillisecondPart(document.collectedAt))) {
    return [{ path: "/collectedAt", message: "must not be more than one day in the future" }];
  }
  return [];
}

/** `clients.total` equals the sum of byOs, of byClientBuild and of sites[].clientCount, each reported at its own path. */
export function checkClientTotals(document: UsageDocument, context?: Pick<SemanticRuleContext, "checkedMaps">): DocumentError[] {
  const { total } = document.clients;
  const byOs = sumOfMap(document.clients.byOs, context?.checkedMaps);
  const byClientBuild = sumOfMap(document.clients.byClientBuild, context?.checkedMaps);
  const bySite = sumOfClientCounts(document.sites);
  // The common case allocates nothing.
  if (byOs === total && byClientBuild === total && bySite === total) return [];
  const mismatch = (path: string, what: string, value: number): DocumentError[] =>
    value === total ? [] : [{ path, message: `the sum of ${what} (${value}) must equal clients.total (${total})` }];
  return [
    ...mismatch("/clients/byOs", "clients.byOs", byOs),
    ...mismatch("/clients/byClientBuild", "clients.byClientBuild", byClientBuild),
    ...mismatch("/sites", "sites[].clientCount", bySite),
  ];
}

/** At most one CAS; with a CAS 1..25 primaries, without one exactly one primary. */
export function checkSiteTopology(document: UsageDocument): DocumentError[] {
  const errors: DocumentError[] = [];
  let casCount = 0;
  let primaryCount = 0;
  document.sites.forEach((site, index) => {
    if (site.type === "cas") {
      casCount += 1;
      if (casCount > 1) errors.push({ path: toJsonPointer(["sites", index, "type"]), message: "a hierarchy has at most one CAS" });
    } else if (site.type === "primary") {
      primaryCount += 1;
    }
  });
  if (casCount > 0 && (primaryCount < 1 || primaryCount > maxPrimariesUnderCas)) {
    errors.push({ path: "/sites", message: `a hierarchy with a CAS has 1 to ${maxPrimariesUnderCas} primary sites, not ${primaryCount}` });
  } else if (casCount === 0 && primaryCount !== 1) {
    errors.push({ path: "/sites", message: `a hierarchy without a CAS has exactly one primary site, not ${primaryCount}` });
  }
  return errors;
}

/**
 * Below this many sites, comparing every pair is cheaper than hashing each 44-character
 * siteHash into a Map (JSON.parse's strings are not hashed yet); most hierarchies are small.
 */
const maxSitesComparedPairwise = 16;

/** The index of the first site with `siteHash`, remembering it in `seen` when new. */
function firstIndexOf(seen: Map<string, number>, siteHash: string, index: number): number {
  const known = seen.get(siteHash);
  if (known !== undefined) return known;
  seen.set(siteHash, index);
  return index;
}

/** `siteHash` values are unique; each repeat is reported at its own path. */
export function checkUniqueSiteHashes(document: UsageDocument): DocumentError[] {
  const { sites } = document;
  const seen = sites.length > maxSitesComparedPairwise ? new Map<string, number>() : undefined;
  const errors: DocumentError[] = [];
  sites.forEach((site, index) => {
    const first =
      seen === undefined ? sites.findIndex((other) => other.siteHash === site.siteHash) : firstIndexOf(seen, site.siteHash, index);
    if (first !== index) errors.push({ path: toJsonPointer(["sites", index, "siteHash"]), message: `duplicate of /sites/${first}/siteHash` });
  });
  return errors;
}

/** `clients.entraJoined` and `clients.coManaged`, when present, are at most `clients.total`: they are shares of it. */
export function checkClientShares(document: UsageDocument): DocumentError[] {
  const { total, entraJoined, coManaged } = document.clients;
  const errors: DocumentError[] = [];
  if (entraJoined !== undefined && entraJoined > total) {
    errors.push({ path: "/clients/entraJoined", message: `must be at most clients.total (${total}), not ${entraJoined}` });
  }
  if (coManaged !== undefined && coManaged > total) {
    errors.push({ path: "/clients/coManaged", message: `must be at most clients.total (${total}), not ${coManaged}` });
  }
  return errors;
}

/**
 * A lone surrogate: with the `u` flag a pair is one code point, so only an unpaired half
 * matches. (String.prototype.isWellFormed is not in this project's TypeScript lib, ES2023.)
 */
const loneSurrogate = /\p{Cs}/u;

/** Whether `text` is well-formed Unicode without U+0000. */
export function isWellFormedText(text: string): boolean {
  return !text.includes("\u0000") && !loneSurrogate.test(text);
}

/** Why a string was refused; never the string itself, which is the client's text. */
const malformedTextMessage = "must be well-formed Unicode: no unpaired surrogate and no U+0000";

/**
 * The maps whose names are free text (the schema's `$defs/Name`, 1..128 of any character):
 * every other string of a schema-valid document matches an ASCII pattern, enum or format.
 * test/schemas/usageV1Schema.test.ts fails when the schema allows free text anywhere else.
 */
export const freeTextMaps: readonly ("byOs" | "byOfficeVersion")[] = Object.freeze(["byOs", "byOfficeVersion"] as const);

/**
 * Every string of the document, keys of maps included, is well-formed Unicode without U+0000
 * (contract section 3). JSON escapes such as `"\ud800"` parse to strings that no UTF-8 could
 * carry; names like that break the stores and encoders after this one, and two of them can
 * encode to one key. Each offending name is reported at its own path.
 *
 * Only the names of `freeTextMaps` are read: the schema already holds every other string to
 * ASCII, and a walk over all of them would cost half again what JSON.parse does.
 */
export function checkWellFormedText(document: UsageDocument, context?: Pick<SemanticRuleContext, "checkedMaps">): DocumentError[] {
  const errors: DocumentError[] = [];
  for (const map of freeTextMaps) {
    const names = document.clients[map];
    if (names === undefined) continue;
    for (const name of context?.checkedMaps?.find(names)?.keys ?? Object.keys(names)) {
      if (!isWellFormedText(name)) errors.push({ path: toJsonPointer(["clients", map, name]), message: malformedTextMessage });
    }
  }
  return errors;
}

/** Version 1's semantic rules, in the order their errors are reported. */
export const semanticRules: readonly SemanticRule[] = Object.freeze([
  checkPathAgreement,
  checkCollectedAt,
  checkClientTotals,
  checkSiteTopology,
  checkUniqueSiteHashes,
  checkClientShares,
  checkWellFormedText,
]);

/**
 * `clients.byWindowsBuild` and `clients.byArchitecture`, when present, each sum to
 * `clients.total` (contract section 3.2), each reported at its own path.
 */
export function checkClientBreakdowns(document: UsageDocument, context?: Pick<SemanticRuleContext, "checkedMaps">): DocumentError[] {
  const { total, byWindowsBuild, byArchitecture } = document.clients;
  const errors: DocumentError[] = [];
  for (const [path, what, map] of [
    ["/clients/byWindowsBuild", "clients.byWindowsBuild", byWindowsBuild],
    ["/clients/byArchitecture", "clients.byArchitecture", byArchitecture],
  ] as const) {
    if (map === undefined) continue;
    const sum = sumOfMap(map, context?.checkedMaps);
    if (sum !== total) errors.push({ path, message: `the sum of ${what} (${sum}) must equal clients.total (${total})` });
  }
  return errors;
}

/** `updates.scanErrors[].code` values are unique: a code's count is reported once. */
export function checkUniqueScanErrorCodes(document: UsageDocument): DocumentError[] {
  const scanErrors = document.updates?.scanErrors ?? [];
  const errors: DocumentError[] = [];
  // At most 10 entries (schema): comparing pairs is cheapest.
  scanErrors.forEach((entry, index) => {
    const first = scanErrors.findIndex((other) => other.code === entry.code);
    if (first !== index) {
      errors.push({ path: toJsonPointer(["updates", "scanErrors", index, "code"]), message: `duplicate of /updates/scanErrors/${first}/code` });
    }
  });
  return errors;
}

/** Version 2's rules: version 1's, then those of its new parts. */
export const semanticRulesV2: readonly SemanticRule[] = Object.freeze([...semanticRules, checkClientBreakdowns, checkUniqueScanErrorCodes]);

/**
 * Runs every semantic rule of a version (version 1's by default) on a schema-valid document
 * and returns all their errors.
 */
export function checkSemanticRules(
  document: UsageDocument,
  context: SemanticRuleContext,
  rules: readonly SemanticRule[] = semanticRules,
): DocumentError[] {
  const errors: DocumentError[] = [];
  for (const rule of rules) {
    // Most rules find nothing: skip the spread call for their empty lists.
    const found = rule(document, context);
    if (found.length > 0) errors.push(...found);
  }
  return errors;
}
