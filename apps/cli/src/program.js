import { Command, CommanderError } from "commander";
import { deploy, rollback } from "./commands/deploy.js";
import { envGet, envImport, envSet, envUnset } from "./commands/env.js";
import { projects, services, status } from "./commands/list.js";
import { login } from "./commands/login.js";
import { logs } from "./commands/logs.js";
import { runCommand } from "./commands/run.js";
import { CliError, ExitCode } from "./errors.js";

/** @param {Command} command */
const globals = (command) => /** @type {{ json?: boolean }} */ (command.optsWithGlobals());

function program() {
  const cli = new Command("berth")
    .description("Deploy and follow Berth services. Login once, or set BERTH_URL and BERTH_TOKEN.")
    .option("--json", "print JSON for scripts")
    .exitOverride()
    .showHelpAfterError();

  cli
    .command("login <url>")
    .description("check an API token against a Berth server and save both (token from BERTH_TOKEN, stdin, or a prompt)")
    .action((url, _o, c) => login(url, globals(c)));
  cli
    .command("projects")
    .description("list the team's projects")
    .action((_o, c) => projects(globals(c)));
  cli
    .command("services")
    .description("list the team's services and their last deployment")
    .action((_o, c) => services(globals(c)));
  cli
    .command("status [service]")
    .description("a service's latest deployment and live release (all services without one)")
    .action((name, _o, c) => status(name, globals(c)));
  cli
    .command("deploy <service>")
    .description("deploy a service (project/service, or its name when unique)")
    .option("--wait", "stream the build log and exit non-zero if the deployment fails")
    .action((name, o, c) => deploy(name, { ...o, ...globals(c) }));
  cli
    .command("rollback <service>")
    .description("release the previous retained release again (or --to <number>)")
    .option("--to <number>", "the release number to roll back to")
    .option("--wait", "stream the log and exit non-zero if it fails")
    .action((name, o, c) => rollback(name, { ...o, ...globals(c) }));
  cli
    .command("logs <service>")
    .description("the running container's log")
    .option("-f, --follow", "keep printing new lines")
    .option("--tail <lines>", "lines of history", "100")
    .action((name, o, c) => logs(name, { ...o, ...globals(c) }));
  cli
    .command("run <service> [command...]")
    .description(
      "run a command in a new container of the live release, e.g. berth run web -- npm run migrate; exits with the command's code",
    )
    .option("--timeout <seconds>", "stop the run after this long (default 3600)")
    .action((name, command, o, c) => runCommand(name, command, { ...o, ...globals(c) }));

  const env = cli.command("env").description("a service's environment variables");
  env
    .command("get <service> [name]")
    .description("list the variables (secret values are never shown), or print one value")
    .action((name, v, _o, c) => envGet(name, v, globals(c)));
  env
    .command("set <service> <assignments...>")
    .description("set NAME=value ...; NAME alone reads the value from stdin")
    .option("--secret", "store as a secret (never shown again)")
    .option("--build-time", "also pass it to the build")
    .action((name, a, o, c) => envSet(name, a, { ...o, ...globals(c) }));
  env
    .command("unset <service> <names...>")
    .description("remove variables")
    .action((name, n, _o, c) => envUnset(name, n, globals(c)));
  env
    .command("import <service> <file>")
    .description("import a .env file (all lines parse or nothing is written)")
    .option("--secret", "store them as secrets")
    .option("--build-time", "also pass them to the build")
    .action((name, f, o, c) => envImport(name, f, { ...o, ...globals(c) }));
  return cli;
}

/** Runs one command line; returns the exit code (0 ok, 1 failed, commander's own for usage errors). @param {string[]} argv */
export async function run(argv) {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof ExitCode) return err.code;
    if (err instanceof CliError) {
      process.stderr.write(`berth: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`berth: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
