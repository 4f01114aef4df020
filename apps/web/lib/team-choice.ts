/**
 * The team the dashboard shows, remembered per browser in a cookie (not localStorage): the
 * server reads it to render the first page with that team's data already in it.
 */
export const TEAM_COOKIE = "berth.teamId";
const ONE_YEAR_S = 60 * 60 * 24 * 365;

/** Remember the chosen team for this browser (not a secret: a team id the user belongs to). */
export function rememberTeam(teamId: string): void {
  document.cookie = `${TEAM_COOKIE}=${encodeURIComponent(teamId)}; path=/; max-age=${ONE_YEAR_S}; samesite=lax`;
}

/** The remembered team among the user's teams, else the first one (the personal team). PURE. */
export function chosenTeam<T extends { id: string }>(teams: T[], rememberedId: string | null | undefined): T | undefined {
  return teams.find((t) => t.id === rememberedId) ?? teams[0];
}
