import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import test from "node:test";
import ts from "typescript";
import { projectRoot } from "../local/hostSettings";

const root = projectRoot();
const folders = ["functions", "shared", "local"];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The source file a relative specifier names, as node16 resolution finds its compiled form. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, "index.ts")].find((candidate) => existsSync(candidate));
}

/**
 * Every relative import of each file, type-only ones included: a circle of types still ties
 * the modules together (the one through shared/services.ts was such a circle), and it
 * becomes a load-order bug the day one of its edges imports a value.
 */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of folders.flatMap((folder) => sourcesUnder(join(root, folder)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => resolveSpecifier(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

/** One circle per strongly connected component that has one, as a path that returns to its start. */
function findCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const circles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const seen = state.get(next);
      if (seen === "open") circles.push([...path.slice(path.indexOf(next)), next]);
      else if (seen === undefined) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return circles;
}

test("the import graph of the sources is what the walk expects", () => {
  const graph = importGraph();
  // A walk that resolved nothing would find no circle either.
  const index = graph.get(join(root, "functions", "index.ts"));
  assert.ok(index !== undefined && index.length > 0, "functions/index.ts imports nothing the walk resolved");
  assert.ok(graph.size > 100, `only ${graph.size} source files found`);
});

test("the walk finds a circle where there is one", () => {
  const a = join(root, "a.ts");
  const b = join(root, "b.ts");
  const c = join(root, "c.ts");
  assert.deepEqual(findCircles(new Map([[a, [b]], [b, [c]], [c, [a]]])), [[a, b, c, a]]);
  assert.deepEqual(findCircles(new Map([[a, [b, c]], [b, [c]], [c, []]])), []);
});

test("no import circle among functions/, shared/ and local/", () => {
  const circles = findCircles(importGraph()).map((circle) => circle.map((file) => relative(root, file)).join(" -> "));
  assert.deepEqual(circles, []);
});
