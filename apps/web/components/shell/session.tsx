"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { Me, Team } from "@/lib/api-types";
import { chosenTeam, rememberTeam } from "@/lib/team-choice";

interface SessionValue {
  me: Me;
  /** The team whose projects the dashboard shows. */
  team: Team;
  setTeamId: (teamId: string) => void;
}

const SessionContext = createContext<SessionValue | null>(null);
/**
 * Holds the signed-in user and the selected team, remembered per browser in a cookie that the
 * server reads too (`rememberedTeamId`, from the layout), so both render the same team.
 */
export function SessionProvider({ me, rememberedTeamId, children }: { me: Me; rememberedTeamId: string | null; children: ReactNode }) {
  const [teamId, setTeamIdState] = useState<string | null>(rememberedTeamId);
  const setTeamId = useCallback((id: string) => {
    setTeamIdState(id);
    rememberTeam(id);
  }, []);
  const team = chosenTeam(me.teams, teamId);
  const value = useMemo(() => (team ? { me, team, setTeamId } : null), [me, team, setTeamId]);
  if (!value) {
    return (
      <p className="p-8 text-sm text-slate-600">Your account does not belong to any team yet. Ask an administrator to add you to one.</p>
    );
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside the dashboard (SessionProvider)");
  return value;
}
