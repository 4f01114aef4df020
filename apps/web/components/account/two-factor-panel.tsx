"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { authClient, authErrorMessage, type AuthErrorLike } from "@/lib/auth-client";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-field";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";

async function unwrap<T>(call: Promise<{ data: T | null; error: AuthErrorLike | null }>): Promise<T> {
  const { data, error } = await call;
  if (error || data === null) throw new Error(authErrorMessage(error));
  return data;
}

/** Turn TOTP two-factor on (secret + recovery codes shown once, confirmed by a code) or off. */
export function TwoFactorPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
  const enable = useMutation({
    mutationFn: async (pw: string) => {
      const result = await unwrap(authClient.twoFactor.enable({ password: pw, method: "totp" }));
      if (result.method !== "totp") throw new Error("The server did not return an authenticator secret");
      return result;
    },
  });
  const verify = useMutation({
    mutationFn: (c: string) => unwrap(authClient.twoFactor.verifyTotp({ code: c })),
    onSuccess: () => {
      enable.reset();
      setCode("");
      void refresh();
    },
  });
  const disable = useMutation({
    mutationFn: (pw: string) => unwrap(authClient.twoFactor.disable({ password: pw })),
    onSuccess: () => {
      setPassword("");
      void refresh();
    },
  });
  const on = me.user.twoFactorEnabled === true;

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    if (on) disable.mutate(password);
    else enable.mutate(password);
  };
  const setup = enable.data;
  const secret = setup ? (new URL(setup.totpURI).searchParams.get("secret") ?? "") : "";
  return (
    <Panel title="Two-factor authentication">
      <div className="space-y-4">
        <p className="text-sm text-slate-600">
          {on
            ? "On: signing in needs a code from your authenticator app (or a recovery code)."
            : "Off: add a code from an authenticator app (TOTP) to your password."}
        </p>
        {!setup && (
          <form onSubmit={submitPassword} noValidate className="flex flex-wrap items-start gap-3">
            <TextField
              label="Your password"
              name="current-password"
              type="password"
              autoComplete="current-password"
              className="min-w-64 flex-1"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <Button type="submit" variant={on ? "secondary" : "primary"} className="mt-6.5" pending={enable.isPending || disable.isPending}>
              {on ? "Turn off two-factor" : "Set up two-factor"}
            </Button>
          </form>
        )}
        {(enable.error ?? disable.error) && <ErrorAlert message={(enable.error ?? disable.error)!.message} />}
        {setup && (
          <div className="space-y-4">
            <CopyField
              label="Secret for your authenticator app"
              value={secret}
              hint="Enter it in the app (time-based, 6 digits), or use the link below."
            />
            <CopyField label="otpauth link" value={setup.totpURI} />
            <div>
              <p className="text-sm font-medium text-slate-800">Recovery codes</p>
              <p className="text-xs text-slate-500">Save them now: each signs in once without the app. They are not shown again.</p>
              <ul className="mt-2 grid grid-cols-2 gap-1 font-mono text-sm text-slate-800 sm:grid-cols-5" data-testid="recovery-codes">
                {setup.backupCodes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </div>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                verify.mutate(code.replace(/\s+/g, ""));
              }}
              noValidate
              className="flex flex-wrap items-start gap-3"
            >
              <TextField
                label="Code from the app"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                className="min-w-48"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
              <Button type="submit" className="mt-6.5" pending={verify.isPending} pendingLabel="Verifying…">
                Turn on
              </Button>
            </form>
            {verify.error && <ErrorAlert message={verify.error.message} />}
          </div>
        )}
      </div>
    </Panel>
  );
}
