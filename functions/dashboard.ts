import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { problemResponse } from "../shared/http/problem";
import { logUnexpected } from "./httpEdge";
import type { HttpTrigger } from "./triggerTypes";

/** Where scripts/buildDashboard.ts writes the page and its policy, relative to the compiled output's root (dist/). */
export const dashboardFiles = { dir: "web/dashboard", page: "index.html", policy: "contentSecurityPolicy.txt" } as const;

interface DashboardPage {
  html: string;
  policy: string;
}

export interface DashboardOptions {
  /** Where the built page is: the compiled output's dist/web/dashboard unless given. */
  dir?: string;
}

const pages = new Map<string, DashboardPage>();

/** The built page, read once per process: it changes only with a deployment. */
function readPage(dir: string): DashboardPage {
  let page = pages.get(dir);
  if (page === undefined) {
    page = { html: readFileSync(join(dir, dashboardFiles.page), "utf8"), policy: readFileSync(join(dir, dashboardFiles.policy), "utf8") };
    pages.set(dir, page);
  }
  return page;
}

/**
 * GET /api/dashboard: the dashboard page, one self-contained HTML file (docs/dashboard.md).
 * No key: the page holds no data; its data calls take the query key, which the page asks
 * for. The policy lets the page run its own inline script and style and call its own
 * origin, nothing else.
 */
export function dashboard(context: InvocationContext, options: DashboardOptions = {}): HttpResponseInit {
  try {
    const page = readPage(options.dir ?? join(__dirname, "..", dashboardFiles.dir));
    return {
      status: 200,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": page.policy,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-cache",
      },
      body: page.html,
    };
  } catch (error) {
    // A package built without the page (scripts/buildDashboard.ts did not run): an operator's fault.
    logUnexpected(context, error);
    return problemResponse(error);
  }
}

export const dashboardTrigger: HttpTrigger = {
  kind: "http",
  name: "dashboard",
  route: "dashboard",
  methods: ["GET"],
  key: "none",
  // Nothing to wait for once the page is read: the host still takes a promise.
  bind: () => (_request, context) => Promise.resolve(dashboard(context)),
};
