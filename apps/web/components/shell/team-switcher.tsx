"use client";

import { useId } from "react";
import { inputClass } from "../ui/field";
import { useSession } from "./session";

/** The current team's name, or a select when the user belongs to several teams. */
export function TeamSwitcher() {
  const { me, team, setTeamId } = useSession();
  const id = useId();
  if (me.teams.length < 2) {
    return (
      <span className="truncate text-sm text-slate-600" data-testid="team-name">
        {team.name}
      </span>
    );
  }
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm text-slate-500">
        Team
      </label>
      <select
        id={id}
        value={team.id}
        onChange={(e) => setTeamId(e.target.value)}
        className={`${inputClass()} w-auto py-1`}
        data-testid="team-name"
      >
        {me.teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </div>
  );
}
