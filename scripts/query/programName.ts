/**
 * How the CLI's messages name the command a user types. In the repository that is `npm run
 * query --`; the package's bundle (scripts/query/bundleQueryCli.ts) puts the name of its
 * `bin` here when it builds, so that `--help` and the usage hints tell an installed CLI's user
 * what they can actually type.
 */
export const PROGRAM_NAME: string = "npm run query --";
