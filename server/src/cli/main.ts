// `readiness`: the command-line front end (bundled into dist/cli.js).
import { EXIT_USAGE, findPackageRoot, run } from './run';

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  packageRoot: findPackageRoot(__dirname),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`readiness: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
