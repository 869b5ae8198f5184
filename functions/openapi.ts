import type { HttpResponseInit } from "@azure/functions";
import { openApiJson } from "../shared/openapi/openApiDocument";
import type { HttpTrigger } from "./triggerTypes";

/** GET /api/openapi.json: the OpenAPI 3.1 description of every route. No key: it holds no data, and tools fetch it unattended. */
export function openApi(): Promise<HttpResponseInit> {
  return Promise.resolve({ status: 200, headers: { "Content-Type": "application/json; charset=utf-8" }, body: openApiJson() });
}

export const openApiTrigger: HttpTrigger = {
  kind: "http",
  name: "openApi",
  route: "openapi.json",
  methods: ["GET"],
  key: "none",
  bind: () => openApi,
};
