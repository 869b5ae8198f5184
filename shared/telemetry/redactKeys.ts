/**
 * A function key in a URL's query (`?code=…`, as Azure Functions takes it; contract section
 * 2), plain or percent-encoded as it is when a URL sits inside another's query. Names are
 * matched without regard to case, as a cautious reader of logs would.
 */
const keyParameter = /((?:[?&;]|%3F|%26)code(?:=|%3D))(?:[^&#;\s"'<>%]|%(?!26|23))*/gi;

/** What a redacted key reads as. */
export const REDACTED = "REDACTED";

/**
 * The text with every `code=` query parameter's value replaced by `REDACTED`, so that a URL
 * can be written to a log or to telemetry without the key it was called with.
 */
export function redactKeys(text: string): string {
  return text.replace(keyParameter, `$1${REDACTED}`);
}
