import assert from "node:assert/strict";
import { test } from "node:test";
import { appSettingNames, ConfigError, readConfig } from "../../../shared/config";
import { InvalidParameterError } from "../../../shared/errors";
import { readMinHierarchies } from "../../../shared/query/minHierarchiesParameter";

const q = (text: string) => new URLSearchParams(text);

test("absent or empty: the configured default; otherwise the integer given", () => {
  const cases: [query: string, configured: number, expected: number][] = [
    ["", 1, 1],
    ["", 25, 25],
    ["minHierarchies=", 7, 7],
    ["week=2026-W47", 3, 3],
    ["minHierarchies=1", 25, 1],
    ["minHierarchies=10", 1, 10],
    ["minHierarchies=1000", 1, 1000],
    ["minHierarchies=0010", 1, 10],
  ];
  for (const [query, configured, expected] of cases) assert.equal(readMinHierarchies(q(query), configured), expected, query);
});

test("anything else is an InvalidParameterError naming minHierarchies", () => {
  const bad = ["0", "1001", "-1", "+5", "5.0", "5.5", "1e2", " 5", "5 ", "0x10", "ten", "٥", "99999999999999999999", "minHierarchies=5&minHierarchies=5"];
  for (const value of bad) {
    const query = value.startsWith("minHierarchies=") ? q(value) : q(`minHierarchies=${encodeURIComponent(value)}`);
    assert.throws(
      () => readMinHierarchies(query, 1),
      (error: unknown) => error instanceof InvalidParameterError && error.parameter === "minHierarchies" && error.message.length < 100,
      value,
    );
  }
});

test("STATS_MIN_HIERARCHIES: default 1, a whole number from 1 to 1000, anything else refused by name", () => {
  assert.equal(appSettingNames.statsMinHierarchies, "STATS_MIN_HIERARCHIES");
  assert.equal(readConfig({}).statsMinHierarchies, 1);
  assert.equal(readConfig({ STATS_MIN_HIERARCHIES: "1" }).statsMinHierarchies, 1);
  assert.equal(readConfig({ STATS_MIN_HIERARCHIES: " 25 " }).statsMinHierarchies, 25);
  assert.equal(readConfig({ STATS_MIN_HIERARCHIES: "1000" }).statsMinHierarchies, 1000);
  for (const value of ["0", "1001", "-3", "2.5", "ten"]) {
    assert.throws(() => readConfig({ STATS_MIN_HIERARCHIES: value }), (e: unknown) => e instanceof ConfigError && e.message.includes("STATS_MIN_HIERARCHIES"), value);
  }
});
