"use client";

import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { useAuthSubmit } from "./use-auth-submit";

/** After a correct password on an account with two-factor: a code from the app, or a recovery code. */
export function SecondFactorForm() {
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState("");
  const submit = useAuthSubmit((input: { code: string; recovery: boolean }) =>
    input.recovery ? authClient.twoFactor.verifyBackupCode({ code: input.code }) : authClient.twoFactor.verifyTotp({ code: input.code }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({ code: code.replace(/\s+/g, ""), recovery });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <h1 className="text-lg font-semibold text-slate-900">Two-factor authentication</h1>
      <TextField
        label={recovery ? "Recovery code" : "Authentication code"}
        name="code"
        autoComplete="one-time-code"
        inputMode={recovery ? "text" : "numeric"}
        hint={recovery ? "One of the recovery codes you saved. Each works once." : "The 6-digit code from your authenticator app."}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoFocus
      />
      {submit.error && <ErrorAlert message={submit.error.message} />}
      <Button type="submit" className="w-full" pending={submit.isPending || submit.isSuccess} pendingLabel="Verifying…">
        Verify
      </Button>
      <button
        type="button"
        className="w-full text-center text-sm text-indigo-700 underline-offset-2 hover:underline"
        onClick={() => {
          setRecovery(!recovery);
          setCode("");
        }}
      >
        {recovery ? "Use the authenticator app instead" : "Use a recovery code instead"}
      </button>
    </form>
  );
}
