/**
 * The exit codes of `npm run query`, documented in docs/cli.md: a script tells what went
 * wrong from the code alone, and reads the reason on stderr.
 */
export const exitCodes = Object.freeze({
  /** The answer was printed. */
  ok: 0,
  /** An answer the CLI did not expect (another status, a body it cannot read). */
  unexpected: 1,
  /** The command line is wrong: nothing was sent. */
  usage: 2,
  /** 401: no key, a wrong key, or the ingest key. */
  unauthorized: 3,
  /** 404: an unknown hierarchy or dimension. */
  notFound: 4,
  /** 400: the service refused a parameter (a week that does not exist, a range over 520 weeks). */
  badRequest: 5,
  /** 503 (or another 5xx): the service is up but cannot answer now; retry later. */
  unavailable: 6,
  /** No answer at all: the URL is wrong, or the service is not running. */
  unreachable: 7,
});

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The exit code of an HTTP status that is not a 200. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 400) return exitCodes.badRequest;
  if (status === 401 || status === 403) return exitCodes.unauthorized;
  if (status === 404) return exitCodes.notFound;
  if (status >= 500 && status <= 599) return exitCodes.unavailable;
  return exitCodes.unexpected;
}
