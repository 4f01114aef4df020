/**
 * How Berth reaches a stored server's engine: its EngineConnection, keys opened from the sealed
 * box. An SSH server is reached only through its pinned host key (pinned by the first check).
 */
import type { EngineConnection } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import type { ServerRow } from "./server-view.ts";

export function engineConnectionOf(deps: Pick<Deps, "box">, row: ServerRow): EngineConnection {
  switch (row.kind) {
    case "socket":
      return { kind: "socket", socketPath: row.socketPath ?? undefined };
    case "tls":
      return {
        kind: "tls",
        host: row.host ?? "",
        port: row.port ?? 2376,
        ca: row.tlsCa ?? "",
        cert: row.tlsCert ?? "",
        key: deps.box.open(row.tlsKey ?? ""),
      };
    case "ssh":
      if (row.hostKeySha256 === null) throw new DomainError("CONFLICT", `${row.name} has no pinned host key yet: check it first`);
      return {
        kind: "ssh",
        host: row.host ?? "",
        port: row.port ?? 22,
        username: row.sshUsername ?? "",
        privateKey: deps.box.open(row.sshPrivateKey ?? ""),
        hostKeySha256: row.hostKeySha256,
      };
    default:
      throw new DomainError("INVALID", `unknown server kind ${row.kind}`);
  }
}
