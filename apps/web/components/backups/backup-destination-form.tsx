"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { SelectField } from "../ui/select-field";

interface SavedDestination {
  kind: "directory" | "s3";
  directory: string | null;
  endpoint: string | null;
  region: string | null;
  bucket: string | null;
  prefix: string;
  accessKeyId: string | null;
  hasSecretKey: boolean;
}

const FIELDS = ["kind", "directory", "endpoint", "region", "bucket", "prefix", "accessKeyId", "secretAccessKey"];

/**
 * The project's backup destination (shared by its databases): a directory under the instance's
 * backup root, or S3-compatible storage. "Test connection" and "Save" both say which field is wrong.
 */
export function BackupDestinationForm({
  projectId,
  saved,
  backupRoot,
  onSaved,
}: {
  projectId: string;
  saved: SavedDestination | null;
  backupRoot: string;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<"directory" | "s3">(saved?.kind ?? "s3");
  const [v, setV] = useState({
    directory: saved?.directory ?? `${backupRoot}/`,
    endpoint: saved?.endpoint ?? "",
    region: saved?.region ?? "us-east-1",
    bucket: saved?.bucket ?? "",
    prefix: saved?.prefix ?? "",
    accessKeyId: saved?.accessKeyId ?? "",
    secretAccessKey: "",
  });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((old) => ({ ...old, [k]: e.target.value }));
  const test = useMutation(trpc.backups.testDestination.mutationOptions());
  const save = useMutation(
    trpc.backups.saveDestination.mutationOptions({
      onSuccess: () => {
        setV((old) => ({ ...old, secretAccessKey: "" }));
        void queryClient.invalidateQueries({ queryKey: trpc.backups.destination.queryKey({ projectId }) });
        onSaved();
      },
    }),
  );
  const payload = () => ({
    projectId,
    kind,
    ...(kind === "directory"
      ? { directory: v.directory }
      : {
          endpoint: v.endpoint,
          region: v.region,
          bucket: v.bucket,
          prefix: v.prefix,
          accessKeyId: v.accessKeyId,
          secretAccessKey: v.secretAccessKey || undefined,
        }),
  });
  const last = save.error ?? test.error;
  const fields = fieldErrorsOf(last);
  const formError = formLevelMessage(last, (k) => FIELDS.includes(k));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    test.reset();
    save.mutate(payload());
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid="backup-destination-form">
      <SelectField
        label="Destination"
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as "directory" | "s3")}
        options={[
          { value: "s3", label: "S3-compatible storage" },
          { value: "directory", label: "Directory on this host" },
        ]}
        error={fields.kind}
      />
      {kind === "directory" ? (
        <TextField
          label="Directory"
          name="directory"
          value={v.directory}
          onChange={set("directory")}
          error={fields.directory}
          hint={`An absolute path under ${backupRoot}.`}
        />
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="Endpoint"
            name="endpoint"
            value={v.endpoint}
            onChange={set("endpoint")}
            error={fields.endpoint}
            placeholder="https://s3.eu-west-1.amazonaws.com"
          />
          <TextField label="Region" name="region" value={v.region} onChange={set("region")} error={fields.region} />
          <TextField label="Bucket" name="bucket" value={v.bucket} onChange={set("bucket")} error={fields.bucket} />
          <TextField label="Prefix" name="prefix" value={v.prefix} onChange={set("prefix")} error={fields.prefix} placeholder="berth/" />
          <TextField
            label="Access key ID"
            name="accessKeyId"
            value={v.accessKeyId}
            onChange={set("accessKeyId")}
            error={fields.accessKeyId}
            autoComplete="off"
          />
          <TextField
            label="Secret access key"
            name="secretAccessKey"
            type="password"
            value={v.secretAccessKey}
            onChange={set("secretAccessKey")}
            error={fields.secretAccessKey}
            autoComplete="new-password"
            hint={saved?.hasSecretKey ? "Saved (encrypted). Leave empty to keep it." : "Stored encrypted; never shown again."}
          />
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          onClick={() => {
            save.reset();
            test.mutate(payload());
          }}
          pending={test.isPending}
          pendingLabel="Testing…"
        >
          Test connection
        </Button>
        <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
          Save destination
        </Button>
      </div>
      {test.data && (
        <p role="status" className="text-sm text-emerald-700" data-testid="destination-test-ok">
          {test.data.message}
        </p>
      )}
      {save.isSuccess && (
        <p role="status" className="text-sm text-emerald-700">
          Destination saved.
        </p>
      )}
      {formError && <ErrorAlert message={formError} />}
    </form>
  );
}
