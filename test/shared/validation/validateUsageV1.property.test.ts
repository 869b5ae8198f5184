import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import usageV1Schema from "../../../schemas/usage.v1.schema.json";
import { compileSchemaValidator } from "../../../shared/validation/compileSchemaValidator";
import { escapeJsonPointerSegment } from "../../../shared/validation/jsonPointer";
import type { UsageV1 } from "../../../shared/validation/usageV1";
import { isErrorListNote } from "../../../shared/validation/validationResult";
import { validateUsageV1, type ValidationResult } from "../../../shared/validation/validateUsageV1";
import { arbitraryName, arbitraryUsageDocument, prototypeKeys, testNow } from "../../../devkit/usageDocuments";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** As the receiver sees a document: JSON text, parsed. */
function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function validate(document: unknown, docId?: string): ValidationResult<UsageV1> {
  const ownDocId = typeof document === "object" && document !== null && typeof (document as { docId?: unknown }).docId === "string";
  return validateUsageV1(document, { docId: docId ?? (ownDocId ? (document as { docId: string }).docId : "x"), docVersion: 1 }, testNow);
}

function pathsOf(result: ValidationResult<UsageV1>): string[] {
  return result.ok ? [] : result.errors.filter((error) => !isErrorListNote(error)).map((error) => error.path);
}

/** Sets an own property, even one named `__proto__`. */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The properties the schema declares for each fixed-shape object, by where it sits. */
const declared: Readonly<Record<string, readonly string[]>> = {
  root: Object.keys(usageV1Schema.properties),
  product: Object.keys(usageV1Schema.$defs.Product.properties),
  site: Object.keys(usageV1Schema.$defs.Site.properties),
  database: Object.keys(usageV1Schema.$defs.Database.properties),
  clients: Object.keys(usageV1Schema.$defs.Clients.properties),
  feature: Object.keys(usageV1Schema.$defs.Feature.properties),
  compliance: Object.keys(usageV1Schema.$defs.Compliance.properties),
  endpointProtection: Object.keys(usageV1Schema.$defs.EndpointProtection.properties),
  collection: Object.keys(usageV1Schema.$defs.Collection.properties),
};

/** Every fixed-shape object in a document: its pointer, the object, and what it declares. */
function fixedShapeObjects(document: UsageV1): { pointer: string; target: object; kind: string }[] {
  const found: { pointer: string; target: object; kind: string }[] = [
    { pointer: "", target: document, kind: "root" },
    { pointer: "/product", target: document.product, kind: "product" },
    { pointer: "/database", target: document.database, kind: "database" },
    { pointer: "/clients", target: document.clients, kind: "clients" },
    { pointer: "/collection", target: document.collection, kind: "collection" },
  ];
  document.sites.forEach((site, index) => found.push({ pointer: `/sites/${index}`, target: site, kind: "site" }));
  for (const [name, feature] of Object.entries(document.features ?? {})) {
    found.push({ pointer: `/features/${escapeJsonPointerSegment(name)}`, target: feature, kind: "feature" });
  }
  if (document.compliance !== undefined) {
    found.push({ pointer: "/compliance", target: document.compliance, kind: "compliance" });
    if (document.compliance.endpointProtection !== undefined) {
      found.push({ pointer: "/compliance/endpointProtection", target: document.compliance.endpointProtection, kind: "endpointProtection" });
    }
  }
  return found;
}

const propertyName = fc.oneof(fc.constantFrom(...prototypeKeys, "", "a/b", "~", "siteCode", "userName"), fc.string({ maxLength: 40 }));

test("every generated valid document validates", () => {
  fc.assert(
    fc.property(arbitraryUsageDocument, (document) => {
      const result = validate(roundTrip(document));
      assert.deepEqual(result.ok ? [] : result.errors, []);
    }),
    { numRuns: 300 },
  );
});

test("an unknown property at any object depth fails at exactly that property's path", () => {
  fc.assert(
    fc.property(arbitraryUsageDocument, fc.nat(), propertyName, fc.jsonValue(), (generated, pick, name, value) => {
      const document = roundTrip(generated);
      const objects = fixedShapeObjects(document);
      const chosen = objects[pick % objects.length];
      if (chosen === undefined) throw new Error("unreachable");
      fc.pre(!(declared[chosen.kind] ?? []).includes(name));
      setOwn(chosen.target, name, value);
      const result = validate(roundTrip(document));
      assert.equal(!result.ok && result.kind, "invalid");
      assert.deepEqual(pathsOf(result), [`${chosen.pointer}/${escapeJsonPointerSegment(name)}`]);
    }),
    { numRuns: 300 },
  );
});

test("changing one byOs count always breaks the total rule, and only it", () => {
  fc.assert(
    fc.property(arbitraryUsageDocument, fc.nat(), fc.integer({ min: 0, max: 1_000_000_000 }), (generated, pick, count) => {
      const document = roundTrip(generated);
      const names = Object.keys(document.clients.byOs);
      const name = names[pick % names.length];
      if (name === undefined) throw new Error("the arbitrary always makes byOs entries");
      fc.pre(document.clients.byOs[name] !== count);
      setOwn(document.clients.byOs, name, count);
      assert.deepEqual(pathsOf(validate(roundTrip(document))), ["/clients/byOs"]);
    }),
    { numRuns: 300 },
  );
});

test("data above the declared level fails as consent, never as invalid, whatever else is wrong", () => {
  const garbage = fc.dictionary(propertyName, fc.jsonValue(), { maxKeys: 3 });
  fc.assert(
    fc.property(
      arbitraryUsageDocument,
      fc.constantFrom<unknown>("basic", "enhanced", undefined, null, "Full", 3),
      fc.jsonValue(),
      fc.jsonValue(),
      garbage,
      (generated, level, features, compliance, extra) => {
        const document = roundTrip(generated) as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(extra)) setOwn(document, key, value);
        if (level === undefined) delete document.level;
        else document.level = level;
        setOwn(document, "compliance", compliance);
        const withFeatures = level !== "enhanced";
        if (withFeatures) setOwn(document, "features", features);
        const result = validate(roundTrip(document));
        assert.equal(!result.ok && result.kind, "consent");
        assert.deepEqual(pathsOf(result), withFeatures ? ["/features", "/compliance"] : ["/compliance"]);
        for (const error of result.ok ? [] : result.errors) assert.match(error.message, /^(features|compliance) may only be sent at level/);
      },
    ),
    { numRuns: 300 },
  );
});

/** Every place in a JSON value: the path segments to it. */
function placesIn(value: Json, prefix: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  const places: (readonly (string | number)[])[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => places.push(...placesIn(item, [...prefix, index])));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) places.push(...placesIn(item, [...prefix, key]));
  }
  return places;
}

function resolve(value: unknown, segments: readonly string[]): boolean {
  let node = value;
  for (const segment of segments) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment)) return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return true;
}

function decodePointer(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The schema validated by the book: Ajv as documented, raw schema, $refs, ajv-formats, nothing tuned. */
const referenceAjv = new Ajv2020({ strict: true, allErrors: false });
addFormats(referenceAjv, ["date-time", "date", "uuid"]);
const validateByTheBook = referenceAjv.compile(usageV1Schema);
// The same schema through our compiler (quick path, inlining, quick formats), under another $id.
const checkOurSchema = compileSchemaValidator({ ...usageV1Schema, $id: "urn:test:usage-v1-differential" });

test("any mutation: our schema check agrees with Ajv by the book, never throws, and points into the document", () => {
  const mutation = fc.record({
    pick: fc.nat(),
    action: fc.constantFrom("set", "delete"),
    value: fc.oneof(
      fc.jsonValue(),
      fc.constantFrom<Json>("", "\u{1F600}".repeat(20), "x".repeat(129), -1, 1e9, 1e9 + 1, 2 ** 53, 0.5, "2026-02-29T00:00:00Z", "2024-02-29"),
      arbitraryName,
    ),
  });
  fc.assert(
    fc.property(arbitraryUsageDocument, fc.array(mutation, { minLength: 1, maxLength: 3 }), (generated, mutations) => {
      const document = roundTrip(generated) as unknown as Json;
      for (const { pick, action, value } of mutations) {
        const places = placesIn(document).filter((place) => place.length > 0);
        const place = places[pick % places.length];
        if (place === undefined) continue;
        let parent: unknown = document;
        for (const segment of place.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[segment];
        const last = place[place.length - 1] ?? "";
        if (action === "delete" && !Array.isArray(parent)) Reflect.deleteProperty(parent as object, last);
        else setOwn(parent as object, String(last), value);
      }
      const parsed = roundTrip(document);

      assert.equal(checkOurSchema(parsed).ok, validateByTheBook(parsed));

      const result = validate(parsed);
      for (const path of pathsOf(result)) {
        const segments = decodePointer(path);
        assert.ok(resolve(parsed, segments) || resolve(parsed, segments.slice(0, -1)), `${path} does not point into the document`);
      }
    }),
    { numRuns: 500 },
  );
});

test("validation never throws for any JSON value", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const result = validate(value);
      assert.equal(typeof result.ok, "boolean");
    }),
    { numRuns: 500 },
  );
});

/** One unit no valid string holds: U+0000, or a surrogate on its own. */
const malformedUnit = fc.oneof(
  fc.constant("\u0000"),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
);
/** Well-formed text around it: a well-formed string neither starts with a low surrogate nor ends with a high one, so the unit stays lone. */
const wellFormedAffix = fc.oneof(fc.constantFrom("", "a/b~c", "__proto__", "\u{1F600}", "Windows 11 "), fc.string({ maxLength: 20 }));

test("a name holding U+0000 or a lone surrogate, in byOs or byOfficeVersion, fails at exactly that key's path", () => {
  fc.assert(
    fc.property(
      arbitraryUsageDocument,
      fc.constantFrom("byOs" as const, "byOfficeVersion" as const),
      fc.nat(),
      wellFormedAffix,
      malformedUnit,
      wellFormedAffix,
      (generated, map, pick, prefix, unit, suffix) => {
        const document = roundTrip(generated);
        const name = prefix + unit + suffix;
        if (map === "byOs") {
          // Renamed, its count kept, so that the totals still agree.
          const names = Object.keys(document.clients.byOs);
          const renamed = names[pick % names.length];
          if (renamed === undefined) throw new Error("the arbitrary always makes byOs entries");
          const count = document.clients.byOs[renamed] ?? 0;
          Reflect.deleteProperty(document.clients.byOs, renamed);
          setOwn(document.clients.byOs, name, count);
        } else {
          document.clients.byOfficeVersion ??= {};
          setOwn(document.clients.byOfficeVersion, name, pick % 1000);
        }
        const result = validate(roundTrip(document));
        assert.equal(!result.ok && result.kind, "invalid");
        assert.deepEqual(pathsOf(result), [`/clients/${map}/${escapeJsonPointerSegment(name)}`]);
        for (const error of result.ok ? [] : result.errors) assert.ok(!error.message.includes(name), "the message holds no client text");
      },
    ),
    { numRuns: 300 },
  );
});

test("entraJoined or coManaged above clients.total fails at exactly its path; at most the total, it passes", () => {
  fc.assert(
    fc.property(
      arbitraryUsageDocument,
      fc.constantFrom("entraJoined" as const, "coManaged" as const),
      fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
      (generated, field, offset) => {
        const document = roundTrip(generated);
        const value = document.clients.total + offset;
        fc.pre(value >= 0 && value <= 1_000_000_000);
        const other = field === "entraJoined" ? "coManaged" : "entraJoined";
        document.clients[field] = value;
        document.clients[other] = Math.min(document.clients[other] ?? 0, document.clients.total);
        assert.deepEqual(pathsOf(validate(roundTrip(document))), value > document.clients.total ? [`/clients/${field}`] : []);
      },
    ),
    { numRuns: 300 },
  );
});
