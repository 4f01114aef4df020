"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { Table, Td, Tr, TwoLine } from "../ui/table";

const USER_COLUMNS = [{ label: "User" }, { label: "Role" }, { label: "Teams" }, { label: "Sessions" }, { label: "Joined" }];

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
        <Table caption="Users of this instance" columns={USER_COLUMNS}>
          {users.data.map((u) => (
            <Tr key={u.id}>
              <Td>
                <TwoLine primary={u.name} secondary={u.email} />
              </Td>
              <Td>{u.instanceRole === "owner" ? "Instance owner" : "User"}</Td>
              <Td>{u.teamCount}</Td>
              <Td>{u.sessionCount}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(u.createdAt)}</Td>
            </Tr>
          ))}
        </Table>
      )}
    </Panel>
  );
}
