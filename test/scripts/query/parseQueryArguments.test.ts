import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_KEY, DEFAULT_URL, parseQueryArguments, UsageError, type QueryCommand } from "../../../scripts/query/parseQueryArguments";

const ID = "hHQZZy6UB0moQc4nYJKM2JyfK3VwlbdSnL60ptbX9EQ";
const STANDARD = "a+b/" + "A".repeat(38) + "Q=";

const requests: [string[], string, string][] = [
  [["versions", "--week", "2026-W47"], "versions", "/api/v1/stats/versions?week=2026-W47"],
  [["os", "--week=2026-W47"], "os", "/api/v1/stats/os?week=2026-W47"],
  [["features", "--week", "2026-W01"], "features", "/api/v1/stats/features?week=2026-W01"],
  [["trend"], "trend", "/api/v1/stats/trend"],
  [["trend", "--from", "2026-W40", "--to", "2026-W47"], "trend", "/api/v1/stats/trend?from=2026-W40&to=2026-W47"],
  [["hierarchy", "--id", ID, "--from", "2026-W40"], "hierarchy", `/api/v1/hierarchies/${ID}/weeks?from=2026-W40`],
  // The standard form SCPs write is taken too, and sent in the URL form.
  [["hierarchy", "--id", STANDARD], "hierarchy", `/api/v1/hierarchies/a-b_${"A".repeat(38)}Q/weeks`],
  [["dimensions"], "dimensions", "/api/v1/stats/dimensions"],
  [["dimension", "sqlVersion", "--week", "2026-W47"], "dimension", "/api/v1/stats/dimensions/sqlVersion?week=2026-W47"],
  [["dimension", "os", "--week", "2026-W47", "--min-hierarchies", "5"], "dimension", "/api/v1/stats/dimensions/os?week=2026-W47&minHierarchies=5"],
  [["dimension", "clients"], "dimensionTrend", "/api/v1/stats/dimensions/clients/trend"],
  [["dimension", "clients", "--to", "2026-W47", "--min-hierarchies", "1000"], "dimensionTrend", "/api/v1/stats/dimensions/clients/trend?to=2026-W47&minHierarchies=1000"],
  // A name is a path segment: whatever it holds stays in it.
  [["dimension", "a/b?c", "--week", "2026-W47"], "dimension", "/api/v1/stats/dimensions/a%2Fb%3Fc?week=2026-W47"],
];

for (const [args, route, path] of requests) {
  test(`${args.join(" ")} asks ${path}`, () => {
    assert.deepEqual(parseQueryArguments(args), { route, path, format: "table", url: DEFAULT_URL, key: DEFAULT_KEY });
  });
}

test("--csv and --json choose the output; --url and --key win over the environment's", () => {
  const week = ["versions", "--week", "2026-W47"];
  assert.equal((parseQueryArguments([...week, "--csv"]) as QueryCommand).format, "csv");
  const command = parseQueryArguments([...week, "--json", "--url", "https://example.test/", "--key", "k1"], { key: "k2", url: "http://other.test" });
  assert.deepEqual(command, { route: "versions", path: "/api/v1/stats/versions?week=2026-W47", format: "json", url: "https://example.test", key: "k1" });
  assert.deepEqual(parseQueryArguments(week, { key: "from-env", url: "http://env.test:8080" }), {
    route: "versions",
    path: "/api/v1/stats/versions?week=2026-W47",
    format: "table",
    url: "http://env.test:8080",
    key: "from-env",
  });
});

test("--help is help, whatever comes with it", () => {
  assert.equal(parseQueryArguments(["--help"]), "help");
  assert.equal(parseQueryArguments(["versions", "--help"]), "help");
});

const usageErrors: [string[], RegExp][] = [
  [[], /give a command/],
  [["stats"], /unknown command "stats"/],
  [["versions"], /versions needs --week/],
  [["versions", "--week", "2026-47"], /not an ISO week/],
  [["versions", "--week", "2026-W47", "--from", "2026-W40"], /versions takes no --from/],
  [["trend", "--week", "2026-W47"], /trend takes no --week/],
  [["trend", "extra"], /unexpected "extra"/],
  [["hierarchy"], /hierarchy needs --id/],
  [["hierarchy", "--id", "abc"], /--id must be a hierarchy id/],
  [["dimension"], /dimension needs a NAME/],
  [["dimension", "os", "--week", "2026-W47", "--from", "2026-W40"], /dimension takes no --from/],
  [["dimension", "os", "--min-hierarchies", "0"], /from 1 to 1000/],
  [["dimension", "os", "--min-hierarchies", "1e2"], /from 1 to 1000/],
  [["dimensions", "--min-hierarchies", "2"], /dimensions takes no --min-hierarchies/],
  [["versions", "--week", "2026-W47", "--csv", "--json"], /not both/],
  [["versions", "--week", "2026-W47", "--colour"], /Unknown option '--colour'/],
  [["versions", "--week"], /argument missing/],
  [["versions", "--week", "2026-W47", "--url", "localhost:7071"], /must be http: or https:/],
  [["versions", "--week", "2026-W47", "--url", "not a url"], /is not a URL/],
  [["versions", "--week", "2026-W47", "--key", ""], /the key is empty/],
];

for (const [args, message] of usageErrors) {
  test(`usage error: ${JSON.stringify(args.join(" "))}`, () => {
    assert.throws(() => parseQueryArguments(args), (error: unknown) => error instanceof UsageError && message.test(error.message));
  });
}
