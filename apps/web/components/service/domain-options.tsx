"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { DomainRow } from "@/lib/api-types";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { FieldError, inputClass, TextField } from "../ui/field";

interface Props {
  serviceId: string;
  domain: DomainRow;
  onChanged: () => Promise<unknown>;
}

/** Basic auth, IP allow-list and a custom certificate for one domain. */
export function DomainOptions({ serviceId, domain, onChanged }: Props) {
  const trpc = useTRPC();
  const [user, setUser] = useState(domain.basicAuthUser ?? "");
  const [password, setPassword] = useState("");
  const [allow, setAllow] = useState(domain.ipAllowList.join("\n"));
  const [certPem, setCertPem] = useState("");
  const [keyPem, setKeyPem] = useState("");
  const done = { onSuccess: () => onChanged() };
  const update = useMutation(trpc.domains.update.mutationOptions(done));
  const cert = useMutation(
    trpc.domains.setCertificate.mutationOptions({ onSuccess: async () => (setCertPem(""), setKeyPem(""), await onChanged()) }),
  );
  const fields = { ...fieldErrorsOf(update.error), ...fieldErrorsOf(cert.error) };
  const updateError = formLevelMessage(update.error, (k) => k.startsWith("basicAuth") || k.startsWith("ipAllowList"));
  const certError = formLevelMessage(cert.error, (k) => k.startsWith("certificate") || k === "certPem" || k === "keyPem");
  const ids = { serviceId, domainId: domain.id };

  const saveAccess = (event: FormEvent) => {
    event.preventDefault();
    const ipAllowList = allow.split(/[\s,]+/).filter(Boolean);
    const basicAuth = user.trim() === "" ? null : password === "" ? undefined : { user: user.trim(), password };
    update.mutate({ ...ids, ipAllowList, ...(basicAuth === undefined ? {} : { basicAuth }) });
  };
  const uploadCert = (event: FormEvent) => {
    event.preventDefault();
    cert.mutate({ ...ids, certificate: { certPem, keyPem } });
  };

  return (
    <div className="grid gap-4 border-t border-slate-100 pt-3 md:grid-cols-2">
      <form onSubmit={saveAccess} noValidate className="space-y-3" aria-label={`Access for ${domain.hostname}`}>
        <h4 className="text-sm font-semibold text-slate-800">Access</h4>
        <div className="grid gap-2 sm:grid-cols-2">
          <TextField
            label="Basic auth user"
            value={user}
            onChange={(e) => setUser(e.target.value)}
            error={fields["basicAuth.user"]}
            hint="Empty: no password prompt"
          />
          <TextField
            label="Password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fields["basicAuth.password"]}
            hint={domain.basicAuthUser ? "Empty: keep the current one" : "At least 8 characters"}
          />
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`allow-${domain.id}`} className="block text-sm font-medium text-slate-800">
            IP allow-list
          </label>
          <textarea
            id={`allow-${domain.id}`}
            rows={2}
            className={inputClass(Boolean(fields.ipAllowList))}
            placeholder="203.0.113.0/24"
            value={allow}
            onChange={(e) => setAllow(e.target.value)}
          />
          <p className="text-xs text-slate-500">Addresses or CIDR ranges, one per line. Empty: everyone.</p>
          <FieldError message={fields.ipAllowList} />
        </div>
        {updateError && <ErrorAlert message={updateError} />}
        <Button type="submit" variant="secondary" pending={update.isPending} pendingLabel="Saving…">
          Save access
        </Button>
      </form>
      <form onSubmit={uploadCert} noValidate className="space-y-3" aria-label={`Certificate for ${domain.hostname}`}>
        <h4 className="text-sm font-semibold text-slate-800">Custom certificate</h4>
        <textarea
          aria-label="Certificate (PEM)"
          rows={3}
          className={`${inputClass(Boolean(fields.certPem))} font-mono text-xs`}
          placeholder="-----BEGIN CERTIFICATE-----"
          value={certPem}
          onChange={(e) => setCertPem(e.target.value)}
        />
        <FieldError message={fields.certPem} />
        <textarea
          aria-label="Private key (PEM)"
          rows={3}
          className={`${inputClass(Boolean(fields.keyPem))} font-mono text-xs`}
          placeholder="-----BEGIN PRIVATE KEY-----"
          value={keyPem}
          onChange={(e) => setKeyPem(e.target.value)}
        />
        <FieldError message={fields.keyPem} />
        {certError && <ErrorAlert message={certError} />}
        <div className="flex gap-2">
          <Button type="submit" variant="secondary" pending={cert.isPending} pendingLabel="Uploading…" disabled={!certPem || !keyPem}>
            Upload certificate
          </Button>
          {domain.customCertificate && (
            <Button variant="secondary" onClick={() => cert.mutate({ ...ids, certificate: null })} disabled={cert.isPending}>
              Use an automatic certificate
            </Button>
          )}
        </div>
      </form>
    </div>
  );
}
