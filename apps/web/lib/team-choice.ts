/**
 * The team whose projects the dashboard shows, chosen per browser. A cookie, not storage: the
 * dashboard's server render reads it too, so a page's first data is the chosen team's.
 */
export const TEAM_COOKIE = "berth_team";

const LEGACY_STORAGE_KEY = "berth.teamId";
const ONE_YEAR_S = 365 * 24 * 3600;

/** The chosen team if the user is (still) in it, otherwise the first one. */
export function chooseTeam<T extends { id: string }>(teams: readonly T[], chosenId: string | null | undefined): T | undefined {
  return teams.find((t) => t.id === chosenId) ?? teams[0];
}

/** Remember the choice for this browser (in the browser only). */
export function rememberTeam(teamId: string): void {
  document.cookie = `${TEAM_COOKIE}=${encodeURIComponent(teamId)}; path=/; max-age=${ONE_YEAR_S}; samesite=lax`;
}

/** A choice made before the cookie existed (kept in localStorage), moved to the cookie once. */
export function takeLegacyChoice(): string | null {
  try {
    const id = window.localStorage.getItem(LEGACY_STORAGE_KEY);
    if (id) window.localStorage.removeItem(LEGACY_STORAGE_KEY);
    return id;
  } catch {
    return null; // storage disabled: nothing was kept there
  }
}
