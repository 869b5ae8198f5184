import type { HttpResponseInit } from "@azure/functions";
import { StorageUnavailableError } from "../shared/errors";
import { jsonResponse, problemResponse } from "../shared/http/problem";
import type { HealthProbe } from "../shared/healthProbe";
import type { HttpTrigger } from "./triggerTypes";

/**
 * GET /api/health: 200 when storage answers, 503 otherwise. No key, no secrets in the
 * answer; the probe is cached for a few seconds (shared/healthProbe.ts), so it costs storage
 * at most once per interval whoever calls it. Storage answering with an error fails it at
 * once; a probe that only times out fails it once storage has given no good answer for 30 s.
 */
export async function health(probe: Pick<HealthProbe, "check">): Promise<HttpResponseInit> {
  const ok = await probe.check();
  return ok ? jsonResponse(200, { status: "ok" }) : problemResponse(new StorageUnavailableError("health check failed", 10));
}

export const healthTrigger: HttpTrigger = {
  kind: "http",
  name: "health",
  route: "health",
  methods: ["GET"],
  key: "none",
  bind: (services) => () => health(services.health),
};
