/**
 * `npm run simulate -- --hierarchies N --weeks W [...]`: fill a running receiver with a
 * believable ConfigMgr fleet (scripts/simulator/simulatorArgs.ts lists every option;
 * docs/simulator.md says what the fleet looks like). With --verify, exits non-zero when the
 * statistics differ from what the simulator computed itself.
 */
import { simulateCommand } from "./simulator/simulateCommand";
import { parseSimulatorArgs, UsageError } from "./simulator/simulatorArgs";

async function main(): Promise<number> {
  const settings = parseSimulatorArgs(process.argv.slice(2), process.env, new Date(), { hierarchies: "50", weeks: "12" });
  const { exitCode } = await simulateCommand(settings, (line) => console.log(line));
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
