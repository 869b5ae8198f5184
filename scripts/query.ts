/**
 * `npm run query -- <versions|os|features|trend|hierarchy|dimension NAME|dimensions> [options]`
 *
 * The query routes for product teams, from a terminal: aligned tables (numbers right-aligned,
 * shares as percentages), or the service's own CSV or JSON with --csv / --json. The key comes
 * from QUERY_KEY unless --key gives one. Exit codes (scripts/query/exitCodes.ts, docs/cli.md):
 * 0 ok, 2 usage, 3 unauthorized, 4 not found, 5 bad request, 6 unavailable, 7 unreachable,
 * 1 anything else; the reason goes to stderr, the answer alone to stdout.
 */
import { readQueryCliSettings, type QueryCliSettings } from "../shared/config";
import { renderAnswer } from "./query/answerTables";
import { answerMismatch } from "./query/checkAnswer";
import { exitCodeOfStatus, exitCodes, type ExitCode } from "./query/exitCodes";
import { parseQueryArguments, UsageError, USAGE, type QueryCommand } from "./query/parseQueryArguments";
import { PROGRAM_NAME } from "./query/programName";

/** Where the CLI writes; tests pass their own. */
export interface QueryIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Long enough for a 520-week trend on a cold instance; a hung connection must still end. */
const TIMEOUT_MS = 60_000;

interface Answer {
  status: number;
  text: string;
}

class UnreachableError extends Error {}

async function ask(command: QueryCommand): Promise<Answer> {
  const url = `${command.url}${command.path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { "x-functions-key": command.key, accept: command.format === "csv" ? "text/csv" : "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a timeout) is its cause.
    const cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error;
    const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
    throw new UnreachableError(`cannot reach ${command.url}: ${reason}`);
  }
  return { status: response.status, text: await response.text() };
}

/** The reason a refusal gives: its problem's detail, or what the status means when the body says nothing (a 401 has none). */
function refusalOf(answer: Answer): string {
  try {
    const problem = JSON.parse(answer.text) as { detail?: unknown };
    if (typeof problem.detail === "string") return `${answer.status}: ${problem.detail}`;
  } catch {
    // Not a problem document: fall through to the status.
  }
  if (answer.status === 401) return "401: the key was refused; give the query key (QUERY_KEY or --key), not the ingest key";
  if (answer.status === 404) return "404: no such route here; is --url the receiver?";
  return `${answer.status}: the service refused the request`;
}

function print(command: QueryCommand, answer: Answer, io: QueryIo): ExitCode {
  if (command.format === "csv") {
    io.stdout(answer.text);
    return exitCodes.ok;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    io.stderr("query: the answer is not JSON; is --url the receiver?\n");
    return exitCodes.unexpected;
  }
  if (command.format === "json") {
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    return exitCodes.ok;
  }
  const mismatch = answerMismatch(command.route, body);
  if (mismatch !== undefined) {
    io.stderr(`query: ${mismatch}; is the service of another version? --json prints it as it is\n`);
    return exitCodes.unexpected;
  }
  io.stdout(`${renderAnswer(command.route, body)}\n`);
  return exitCodes.ok;
}

/** Runs one command line; resolves to its exit code, never rejects for anything the service or the user did. */
export async function runQuery(args: readonly string[], settings: Partial<QueryCliSettings>, io: QueryIo): Promise<ExitCode> {
  let command: QueryCommand | "help";
  try {
    command = parseQueryArguments(args, settings);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`query: ${error.message}\n(${PROGRAM_NAME} --help for usage)\n`);
    return exitCodes.usage;
  }
  if (command === "help") {
    io.stdout(`${USAGE}\n`);
    return exitCodes.ok;
  }
  let answer: Answer;
  try {
    answer = await ask(command);
  } catch (error) {
    if (!(error instanceof UnreachableError)) throw error;
    io.stderr(`query: ${error.message}\n`);
    return exitCodes.unreachable;
  }
  if (answer.status !== 200) {
    io.stderr(`query: ${refusalOf(answer)}\n`);
    return exitCodeOfStatus(answer.status);
  }
  return print(command, answer, io);
}

if (require.main === module) {
  runQuery(process.argv.slice(2), readQueryCliSettings(), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = exitCodes.unexpected;
    },
  );
}
