/** A failure the user can act on: printed as `berth: <message>` with exit code 1, no stack. */
export class CliError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "CliError";
  }
}
