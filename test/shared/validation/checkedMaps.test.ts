import { test } from "node:test";
import assert from "node:assert/strict";
import { recordCheckedMaps, rememberCheckedMap, type CheckedMaps } from "../../../shared/validation/checkedMaps";
import { checkClientBreakdowns, checkClientTotals, checkWellFormedText } from "../../../shared/validation/semanticRules";
import * as usageV2Validators from "../../../shared/validation/usageV2Validators";
import { validateUsageV2, type UsageV2 } from "../../../shared/validation/validateUsageV2";
import { isErrorListNote, type ValidationResult } from "../../../shared/validation/validationResult";
import { makeUsageV2Document, testNow } from "../../../devkit/usageDocuments";

const docId = "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5c";
const expected = { docId, docVersion: 2 };

function pathsOf(result: ValidationResult<unknown>): string[] {
  return result.ok ? [] : result.errors.filter((error) => !isErrorListNote(error)).map((error) => error.path);
}

/** A fresh parse, as a request has it. */
function parsed(document: unknown): UsageV2 {
  return JSON.parse(JSON.stringify(document)) as UsageV2;
}

test("the quick validator records each map it accepts, with its keys and sum, only while asked", () => {
  const document = parsed(makeUsageV2Document({ docId }));
  const { byOs, byClientBuild } = document.clients;
  const { result, maps } = recordCheckedMaps(usageV2Validators.quick, document);
  assert.equal(result, true);
  const sum = (map: Record<string, number>): number => Object.keys(map).reduce((total, key) => total + (map[key] ?? 0), 0);
  assert.deepEqual(maps.find(byOs), { keys: Object.keys(byOs), sum: sum(byOs) });
  assert.deepEqual(maps.find(byClientBuild), { keys: Object.keys(byClientBuild), sum: sum(byClientBuild) });
  assert.equal(maps.find({ ...byOs }), undefined, "found by identity, not by content");

  // Outside recordCheckedMaps the generated code's calls keep nothing.
  const { maps: later } = recordCheckedMaps((map: object) => {
    rememberCheckedMap(map, [], 1);
    return true;
  }, byOs);
  rememberCheckedMap(byClientBuild, [], 2);
  assert.deepEqual(later.find(byOs), { keys: [], sum: 1 });
  assert.equal(later.find(byClientBuild), undefined);
});

test("a map the quick validator refuses is not recorded", () => {
  const document = parsed(makeUsageV2Document({ docId }));
  document.clients.byClientBuild = { ...document.clients.byClientBuild, "not a build": 1 };
  const { result, maps } = recordCheckedMaps(usageV2Validators.quick, document);
  assert.equal(result, false);
  assert.equal(maps.find(document.clients.byClientBuild), undefined);
});

test("the semantic rules use the recorded sums and keys, and list the map themselves without them", () => {
  const document = parsed(makeUsageV2Document({ docId }));
  const { byOs, byWindowsBuild } = document.clients;
  assert.ok(byWindowsBuild !== undefined);
  const { total } = document.clients;
  const recorded = new Map<object, { keys: string[]; sum: number }>([
    [byOs, { keys: ["\ud800"], sum: total + 1 }],
    [byWindowsBuild, { keys: [], sum: Number.NaN }],
  ]);
  const checkedMaps: CheckedMaps = { find: (map) => recorded.get(map) };
  assert.deepEqual(checkClientTotals(document).map((error) => error.path), []);
  assert.deepEqual(checkClientTotals(document, { checkedMaps }).map((error) => error.path), ["/clients/byOs"]);
  assert.deepEqual(checkWellFormedText(document, { checkedMaps }).map((error) => error.path), ["/clients/byOs/\ud800"]);
  // A NaN sum (values not all numbers) is not trusted: the map is summed again.
  assert.deepEqual(checkClientBreakdowns(document, { checkedMaps }), []);
});

test("a map changed after an earlier validation is judged as it is now", () => {
  const document = parsed(makeUsageV2Document({ docId }));
  assert.equal(validateUsageV2(document, expected, testNow).ok, true);
  const { byOs } = document.clients;
  const firstName = Object.keys(byOs)[0] ?? "";
  byOs[firstName] = (byOs[firstName] ?? 0) + 1;
  assert.deepEqual(pathsOf(validateUsageV2(document, expected, testNow)), ["/clients/byOs"]);
});

test("sums are right when only the exact validator accepts the document", () => {
  // 65 emoji: 65 characters, within Name's 128, but 130 code units, which the quick check refuses.
  const longName = "\u{1F600}".repeat(65);
  const document = parsed(makeUsageV2Document({ docId }));
  const { byOs } = document.clients;
  const firstName = Object.keys(byOs)[0] ?? "";
  document.clients.byOs = { ...byOs, [firstName]: 0, [longName]: byOs[firstName] ?? 0 };
  assert.equal(usageV2Validators.quick(document), false);
  assert.equal(validateUsageV2(document, expected, testNow).ok, true);
  document.clients.byOs[longName] = (document.clients.byOs[longName] ?? 0) + 1;
  assert.deepEqual(pathsOf(validateUsageV2(document, expected, testNow)), ["/clients/byOs"]);
});
