/** Light, dark or follow the system (`prefers-color-scheme`); the choice is kept in localStorage. */
export type ThemeChoice = "system" | "light" | "dark";

export const THEME_STORAGE_KEY = "berth-theme";

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === "system" || value === "light" || value === "dark";
}

/** Whether a choice means dark, given whether the system prefers dark. */
export function resolvesToDark(choice: ThemeChoice, systemDark: boolean): boolean {
  return choice === "dark" || (choice === "system" && systemDark);
}

/**
 * Runs in <head> before the first paint, so a dark page never flashes light. Plain ES5, no
 * imports: it is inlined as a string. Storage may be blocked (privacy modes): then the system wins.
 */
export const THEME_SCRIPT = `(function(){var d=document.documentElement,t=null;try{t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)})}catch(e){t=null}var dark=t==="dark"||(t!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);d.classList.toggle("dark",dark)})();`;

/** Apply a choice to the document now (the toggle and system changes call this). */
export function applyTheme(choice: ThemeChoice): void {
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.classList.toggle("dark", resolvesToDark(choice, systemDark));
}
