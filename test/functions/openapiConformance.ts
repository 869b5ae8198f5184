/**
 * Checks real HTTP responses against the OpenAPI description, with Ajv (JSON Schema 2020-12,
 * the dialect OpenAPI 3.1 uses) compiling each response schema from the description itself,
 * so a test can only pass when the description says what the service does.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;

/** A response as a test saw it. */
export interface ObservedResponse {
  method: string;
  /** The URL requested, under the server's `/api`. */
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

const DESCRIPTION_ID = "urn:test:openapi-description";

/** One JSON Pointer token, written for a URI fragment. */
const token = (segment: string): string => encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"));

const asRecord = (value: unknown): Json | undefined => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined);

export class OpenApiConformance {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; pattern: RegExp }[];
  /** `METHOD template status` of every response checked. */
  readonly seen = new Set<string>();

  constructor(private readonly description: Json) {
    // Not strict: the description is a schema resource only so that `#/components/schemas/…`
    // resolves; its other members (openapi, paths…) are not keywords. The schemas themselves
    // are compiled strictly where they are kept (test/schemas/resultsV1Schema.test.ts).
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv, ["date-time", "date", "uuid"]);
    this.ajv.addSchema(description, DESCRIPTION_ID);
    this.templates = Object.keys(asRecord(description.paths) ?? {}).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`),
    }));
  }

  private validator(pointer: string[]): ValidateFunction {
    const key = pointer.map(token).join("/");
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `${DESCRIPTION_ID}#/${key}` });
      this.compiled.set(key, validate);
    }
    return validate;
  }

  private errorsOf(pointer: string[], value: unknown): string[] {
    const validate = this.validator(pointer);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
  }

  /** What is wrong with `response` by the description: empty when it conforms. */
  check(response: ObservedResponse): string[] {
    const pathname = new URL(response.url).pathname;
    if (!pathname.startsWith("/api/")) return [`${pathname} is not under the server /api`];
    const found = this.templates.find(({ pattern }) => pattern.test(pathname.slice("/api".length)));
    if (found === undefined) return [`no path describes ${pathname}`];
    const method = response.method.toLowerCase();
    const operationPointer = ["paths", found.template, method];
    const operation = asRecord(asRecord(asRecord(this.description.paths)?.[found.template])?.[method]);
    if (operation === undefined) return [`${response.method} ${found.template} is not described`];
    const status = String(response.status);
    const described = asRecord(asRecord(operation.responses)?.[status]);
    if (described === undefined) return [`${response.method} ${found.template} does not describe a ${status}`];
    this.seen.add(`${response.method} ${found.template} ${status}`);
    const where = [...operationPointer, "responses", status];
    const errors: string[] = [];
    for (const [name, header] of Object.entries(asRecord(described.headers) ?? {})) {
      const value = response.headers.get(name);
      if (value === null) {
        if (asRecord(header)?.required === true) errors.push(`header ${name} is missing`);
        continue;
      }
      const schema = asRecord(asRecord(header)?.schema);
      const typed = schema?.type === "integer" || schema?.type === "number" ? Number(value) : value;
      errors.push(...this.errorsOf([...where, "headers", name, "schema"], typed).map((e) => `header ${name}: ${e}`));
    }
    const content = asRecord(described.content);
    const contentType = response.headers.get("content-type");
    if (content === undefined) {
      if (response.text !== "") errors.push(`a ${status} has no body here, yet one was sent`);
      if (contentType !== null) errors.push(`a ${status} has no body here, yet Content-Type is ${contentType}`);
      return errors;
    }
    const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (!Object.hasOwn(content, mediaType)) return [...errors, `Content-Type ${contentType ?? "(none)"} is not among ${Object.keys(content).join(", ")}`];
    let body: unknown = response.text;
    if (mediaType.endsWith("json")) {
      try {
        body = JSON.parse(response.text);
      } catch {
        return [...errors, `the ${mediaType} body is not JSON`];
      }
    }
    errors.push(...this.errorsOf([...where, "content", mediaType, "schema"], body));
    return errors;
  }

  /** `METHOD template status` of every response the description declares. */
  declared(): string[] {
    return Object.entries(asRecord(this.description.paths) ?? {}).flatMap(([template, item]) =>
      Object.entries(asRecord(item) ?? {}).flatMap(([method, operation]) =>
        Object.keys(asRecord(asRecord(operation)?.responses) ?? {}).map((status) => `${method.toUpperCase()} ${template} ${status}`),
      ),
    );
  }
}
