"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { Me, Team } from "@/lib/api-types";
import { chooseTeam, rememberTeam, takeLegacyChoice } from "@/lib/team-choice";

interface SessionValue {
  me: Me;
  /** The team whose projects the dashboard shows. */
  team: Team;
  setTeamId: (teamId: string) => void;
}

const SessionContext = createContext<SessionValue | null>(null);

/**
 * Holds the signed-in user and the selected team (remembered per browser, lib/team-choice.ts).
 * `chosenTeamId` is the choice the page request carried: the server render used it too.
 */
export function SessionProvider({ me, chosenTeamId, children }: { me: Me; chosenTeamId: string | null; children: ReactNode }) {
  const [teamId, setTeamIdState] = useState<string | null>(chosenTeamId);
  const setTeamId = useCallback((id: string) => {
    setTeamIdState(id);
    rememberTeam(id);
  }, []);
  useEffect(() => {
    const legacy = chosenTeamId === null ? takeLegacyChoice() : null;
    if (legacy) setTeamId(legacy);
    // Once, after the first render: it matches the server's, which had no cookie to read.
  }, []);
  const team = chooseTeam(me.teams, teamId);
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
