import { ValidationError } from "../errors";

// fatal: true makes any invalid UTF-8 sequence an error instead of a silent U+FFFD.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes strict UTF-8 (a leading BOM is dropped) and parses JSON; failures are 400s. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ValidationError("The body is not valid UTF-8", [{ path: "", message: "invalid UTF-8" }]);
  }
  return parseJsonText(text);
}

/** Parses JSON text; a syntax error becomes a 400 that says where. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "unparseable";
    throw new ValidationError("The body is not valid JSON", [{ path: "", message: `malformed JSON: ${reason}` }]);
  }
}
