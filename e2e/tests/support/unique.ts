/** A short suffix that differs between runs and tests, for names, emails and greetings. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
