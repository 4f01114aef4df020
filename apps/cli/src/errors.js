/** A failure the user can act on: printed as `berth: <message>` with exit code 1, no stack. */
export class CliError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "CliError";
  }
}

/** Ends the command with this exit code and nothing more to say (`berth run` passes on its command's). */
export class ExitCode extends Error {
  /** @param {number} code */
  constructor(code) {
    super(`exit ${code}`);
    this.name = "ExitCode";
    this.code = code;
  }
}
