import { UnsupportedMediaTypeError } from "../errors";

/**
 * Checks a Content-Type header against the media types a route takes. A charset, when
 * given, must be UTF-8: the body is decoded as UTF-8 and nothing else (contract section 2).
 */
export function requireMediaType(header: string | null, accepted: readonly string[]): void {
  if (header === null || header.trim() === "") {
    throw new UnsupportedMediaTypeError(`Content-Type is required; send ${accepted.join(" or ")}`);
  }
  const [type = "", ...params] = header.split(";");
  const mediaType = type.trim().toLowerCase();
  if (!accepted.includes(mediaType)) {
    throw new UnsupportedMediaTypeError(`Content-Type "${mediaType}" is not supported; send ${accepted.join(" or ")}`);
  }
  for (const param of params) {
    const [name = "", ...rest] = param.split("=");
    if (name.trim().toLowerCase() !== "charset") continue;
    const charset = rest.join("=").trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") {
      throw new UnsupportedMediaTypeError(`charset "${charset}" is not supported; send UTF-8`);
    }
  }
}
