"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { Me, Team } from "@/lib/api-types";

interface SessionValue {
  me: Me;
  /** The team whose projects the dashboard shows. */
  team: Team;
  setTeamId: (teamId: string) => void;
}

const SessionContext = createContext<SessionValue | null>(null);
const TEAM_KEY = "berth.teamId";

function storedTeamId(): string | null {
  try {
    return window.localStorage.getItem(TEAM_KEY);
  } catch {
    return null; // storage disabled (private mode): fall back to the first team
  }
}

/** Holds the signed-in user and the selected team (remembered per browser). */
export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const [teamId, setTeamIdState] = useState<string | null>(storedTeamId);
  const setTeamId = useCallback((id: string) => {
    setTeamIdState(id);
    try {
      window.localStorage.setItem(TEAM_KEY, id);
    } catch {
      // not persisted; the choice still holds for this tab
    }
  }, []);
  const team = me.teams.find((t) => t.id === teamId) ?? me.teams[0];
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
