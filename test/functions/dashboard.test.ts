import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { InvocationContext } from "@azure/functions";
import { dashboard, dashboardTrigger } from "../../functions/dashboard";
import { triggers } from "../../functions/triggers";

const context = (logged: string[]) =>
  new InvocationContext({ invocationId: "test", functionName: "dashboard", logHandler: (level, ...args) => logged.push(`${level} ${args.map(String).join(" ")}`) });

const sha256Source = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The text of every `<tag>…</tag>` of the page. */
function elements(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1] ?? "");
}

// Against the page `npm run build` made (scripts/buildDashboard.ts), as the host serves it.
describe("GET /api/dashboard", () => {
  const logged: string[] = [];
  const response = dashboard(context(logged));
  const headers = new Headers(response.headers);
  const html = typeof response.body === "string" ? response.body : "";
  const policy = headers.get("content-security-policy") ?? "";

  test("is one anonymous GET route of the app's list", () => {
    assert.ok(triggers.includes(dashboardTrigger));
    assert.deepEqual([dashboardTrigger.route, dashboardTrigger.methods, dashboardTrigger.key], ["dashboard", ["GET"], "none"]);
  });

  test("answers the page as HTML that no one may frame or sniff", () => {
    assert.equal(response.status, 200);
    assert.equal(headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(headers.get("x-content-type-options"), "nosniff");
    assert.match(policy, /(^|; )frame-ancestors 'none'(;|$)/);
    assert.match(html, /^<!doctype html>/);
    assert.deepEqual(logged, []);
  });

  test("loads nothing from anywhere: one inline script and one inline style, and nothing with src or a stylesheet link", () => {
    assert.equal(elements(html, "script").length, 1);
    assert.equal(elements(html, "style").length, 1);
    assert.doesNotMatch(html, /<script[^>]*\ssrc=/i);
    assert.doesNotMatch(html, /<link[^>]*rel="?stylesheet/i);
    assert.doesNotMatch(html, /<(img|iframe)\b/i);
    assert.ok(elements(html, "script")[0]!.length > 100_000, "Chart.js is bundled in");
  });

  test("the policy allows exactly that script and that style, by hash, and data calls to its own origin only", () => {
    const directives = new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]));
    assert.equal(directives.get("default-src"), "'none'");
    assert.equal(directives.get("script-src"), sha256Source(elements(html, "script")[0]!));
    assert.equal(directives.get("style-src"), sha256Source(elements(html, "style")[0]!));
    assert.equal(directives.get("connect-src"), "'self'");
    assert.equal(directives.get("form-action"), "'none'");
  });

  test("the key field has no name, so no form submission could carry the key", () => {
    const input = /<input id="key-input"[^>]*>/.exec(html)?.[0] ?? "";
    assert.match(input, /type="password"/);
    assert.doesNotMatch(input, /\sname=/);
  });
});

test("a package built without the page answers 503 and logs why for the operator", () => {
  const logged: string[] = [];
  const response = dashboard(context(logged), { dir: join(tmpdir(), "no-dashboard-here") });
  assert.equal(response.status, 503);
  assert.equal(new Headers(response.headers).get("content-type"), "application/problem+json");
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /ENOENT/);
});
