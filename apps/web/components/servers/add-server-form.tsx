"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { SelectField } from "../ui/select-field";
import { PemField } from "./pem-field";

type Kind = "tls" | "ssh" | "socket";
const KINDS = [
  { value: "tls", label: "Remote engine over TCP+TLS" },
  { value: "ssh", label: "Remote engine over SSH" },
  { value: "socket", label: "Local socket" },
] as const;
const SHOWN_AT_FIELD = new Set(["name", "host", "port", "ca", "cert", "key", "username", "socketPath"]);

/** Adds a server; Berth checks it at once and the list shows its first state (and, for SSH, the key to authorize). */
export function AddServerForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>("tls");
  const [v, setV] = useState({
    name: "",
    host: "",
    port: "",
    ca: "",
    cert: "",
    key: "",
    username: "root",
    socketPath: "/var/run/docker.sock",
  });
  const set = (field: keyof typeof v) => (value: string) => setV((old) => ({ ...old, [field]: value }));
  const add = useMutation(
    trpc.servers.add.mutationOptions({
      onSuccess: () => {
        setV((old) => ({ ...old, name: "", host: "", port: "", ca: "", cert: "", key: "" }));
        void queryClient.invalidateQueries({ queryKey: trpc.servers.list.queryKey() });
      },
    }),
  );
  const fields = fieldErrorsOf(add.error);
  const formError = formLevelMessage(add.error, (k) => SHOWN_AT_FIELD.has(k));
  const port = v.port.trim() === "" ? undefined : v.port.trim();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === "socket") add.mutate({ kind, name: v.name, socketPath: v.socketPath });
    else if (kind === "ssh")
      add.mutate({ kind, name: v.name, host: v.host, username: v.username, ...(port === undefined ? {} : { port }) });
    else add.mutate({ kind, name: v.name, host: v.host, ca: v.ca, cert: v.cert, key: v.key, ...(port === undefined ? {} : { port }) });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Add a server">
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Connection" name="kind" options={KINDS} value={kind} onChange={(e) => setKind(e.target.value as Kind)} />
        <TextField
          label="Name"
          name="name"
          placeholder="worker-2"
          value={v.name}
          onChange={(e) => set("name")(e.target.value)}
          error={fields.name}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      {kind === "socket" ? (
        <TextField
          label="Socket path"
          name="socketPath"
          value={v.socketPath}
          onChange={(e) => set("socketPath")(e.target.value)}
          error={fields.socketPath}
          spellCheck={false}
        />
      ) : (
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Host"
            name="host"
            className="sm:col-span-2"
            placeholder="10.0.0.2 or node2.example.com"
            value={v.host}
            onChange={(e) => set("host")(e.target.value)}
            error={fields.host}
            hint="Docker there lets containers of different networks reach each other for a moment each time it creates a network: run Berth's infra/isolate-networks.sh on that host (and at boot) to keep its projects apart."
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            label="Port"
            name="port"
            inputMode="numeric"
            placeholder={kind === "ssh" ? "22" : "2376"}
            value={v.port}
            onChange={(e) => set("port")(e.target.value)}
            error={fields.port}
          />
        </div>
      )}
      {kind === "ssh" && (
        <TextField
          label="User"
          name="username"
          value={v.username}
          onChange={(e) => set("username")(e.target.value)}
          error={fields.username}
          hint="Berth generates a key pair for this server and shows its public key: add it to this user's ~/.ssh/authorized_keys, then check the server. The host key is pinned at the first connection."
          autoComplete="off"
          spellCheck={false}
        />
      )}
      {kind === "tls" && (
        <>
          <PemField
            label="CA certificate"
            name="ca"
            value={v.ca}
            onChange={set("ca")}
            error={fields.ca}
            placeholder="-----BEGIN CERTIFICATE-----"
          />
          <PemField
            label="Client certificate"
            name="cert"
            value={v.cert}
            onChange={set("cert")}
            error={fields.cert}
            placeholder="-----BEGIN CERTIFICATE-----"
          />
          <PemField
            label="Client key"
            name="key"
            value={v.key}
            onChange={set("key")}
            error={fields.key}
            placeholder="-----BEGIN PRIVATE KEY-----"
          />
        </>
      )}
      {formError && <ErrorAlert message={formError} />}
      <Button type="submit" pending={add.isPending} pendingLabel="Adding and checking…">
        Add server
      </Button>
    </form>
  );
}
