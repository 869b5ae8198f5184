import { existsSync, readFileSync } from "node:fs";
import { localSettingNames, type Env } from "../shared/config";
import { isRecord } from "../shared/isRecord";

/** The parts of local.settings.json the local runtime honours, as Azure Functions Core Tools reads them. */
export interface LocalSettings {
  /** App settings, laid under the environment. */
  values: Record<string, string>;
  /** `Host.LocalHttpPort`: the port when `PORT` (Core Tools' `--port`) is not set. */
  localHttpPort: number | undefined;
}

export class LocalSettingsError extends Error {
  override readonly name = "LocalSettingsError";
}

/**
 * Reads local.settings.json; undefined when there is none (it is optional, and kept out of
 * git because it may hold secrets). Core Tools decrypts an `IsEncrypted` file with a
 * machine key; this runtime cannot, and says so rather than use ciphertext as settings.
 */
export function readLocalSettings(file: string): LocalSettings | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new LocalSettingsError(`${file} is not JSON: ${String(error)}`);
  }
  if (!isRecord(parsed)) throw new LocalSettingsError(`${file} must hold a JSON object`);
  if (parsed["IsEncrypted"] === true) throw new LocalSettingsError(`${file} is encrypted; the local runtime reads plain settings only`);
  const values: Record<string, string> = {};
  const given = parsed["Values"] ?? {};
  if (!isRecord(given)) throw new LocalSettingsError(`${file}: Values must be an object`);
  for (const [name, value] of Object.entries(given)) {
    // Core Tools takes strings; numbers and booleans are written as they read.
    if (typeof value === "string") values[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") values[name] = String(value);
    else throw new LocalSettingsError(`${file}: Values.${name} must be a string`);
  }
  const host = parsed["Host"];
  const port = isRecord(host) ? host["LocalHttpPort"] : undefined;
  if (port !== undefined && !(Number.isInteger(port) && typeof port === "number" && port >= 0 && port <= 65535)) {
    throw new LocalSettingsError(`${file}: Host.LocalHttpPort must be a port number`);
  }
  return { values, localHttpPort: port };
}

export interface AppliedLocalSettings {
  env: Env;
  /** Settings of the file that the environment already sets, and so are not taken (Core Tools lists them too). */
  skipped: string[];
}

/**
 * Lays the file's settings under the environment, as Core Tools does: a setting the
 * environment already has (non-empty) wins, and the file fills in the rest. `LocalHttpPort`
 * stands in for `PORT` when neither sets it, as Core Tools takes it when `--port` is absent.
 */
export function applyLocalSettings(env: Env, settings: LocalSettings): AppliedLocalSettings {
  const merged: Env = { ...env };
  const skipped: string[] = [];
  const isSet = (name: string): boolean => (merged[name] ?? "") !== "";
  for (const [name, value] of Object.entries(settings.values)) {
    if (isSet(name)) skipped.push(name);
    else merged[name] = value;
  }
  if (settings.localHttpPort !== undefined && !isSet(localSettingNames.port)) merged[localSettingNames.port] = String(settings.localHttpPort);
  return { env: merged, skipped };
}
