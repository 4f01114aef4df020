"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";

/** Every account on this instance (instance owner only). */
export function UsersPanel() {
  const trpc = useTRPC();
  const users = useQuery(trpc.instance.users.queryOptions());
  return (
    <Panel title="Users">
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <QueryError error={users.error} onRetry={() => void users.refetch()} what="users" />
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Users of this instance</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">User</th>
              <th scope="col" className="py-2 pr-4 font-medium">Role</th>
              <th scope="col" className="py-2 pr-4 font-medium">Teams</th>
              <th scope="col" className="py-2 pr-4 font-medium">Sessions</th>
              <th scope="col" className="py-2 font-medium">Joined</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id} className="border-t border-slate-200">
                <td className="py-2 pr-4">
                  <div className="font-medium text-slate-800">{u.name}</div>
                  <div className="text-slate-500">{u.email}</div>
                </td>
                <td className="py-2 pr-4 text-slate-700">{u.instanceRole === "owner" ? "Instance owner" : "User"}</td>
                <td className="py-2 pr-4 text-slate-700">{u.teamCount}</td>
                <td className="py-2 pr-4 text-slate-700">{u.sessionCount}</td>
                <td className="py-2 whitespace-nowrap text-slate-600">{formatDateTime(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
