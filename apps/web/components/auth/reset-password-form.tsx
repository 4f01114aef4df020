"use client";

import { useMutation } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useEffect, useState, type FormEvent } from "react";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";

const linkClass = "text-sm font-medium text-indigo-700 underline-offset-2 hover:underline";

/** `/reset-password?token=…`: the page the mailed link lands on. Setting a password signs out every session. */
export function ResetPasswordForm() {
  const [token, setToken] = useState<string | null>(null);
  const [linkError, setLinkError] = useState(false);
  const [password, setPassword] = useState("");
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    setToken(params.get("token") ?? "");
    setLinkError(params.has("error"));
  }, []);
  const reset = useMutation({
    mutationFn: async (input: { newPassword: string; token: string }) => {
      const { error } = await authClient.resetPassword(input);
      if (error) throw new Error(authErrorMessage(error));
    },
  });
  if (token === null) return null;
  if (linkError || !token) {
    return (
      <div className="space-y-3">
        <ErrorAlert message="This reset link is not valid or has expired." />
        <IntentLink href="/forgot-password" className={linkClass}>
          Ask for a new link
        </IntentLink>
      </div>
    );
  }
  if (reset.isSuccess) {
    return (
      <div className="space-y-3">
        <p role="status" className="text-sm text-slate-700">
          Your password is changed and every session was signed out.
        </p>
        <IntentLink href="/sign-in" className={linkClass}>
          Sign in
        </IntentLink>
      </div>
    );
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate({ newPassword: password, token });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <h1 className="text-lg font-semibold text-slate-900">Choose a new password</h1>
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={reset.error?.message}
      />
      <Button type="submit" className="w-full" pending={reset.isPending} pendingLabel="Saving…">
        Set password
      </Button>
    </form>
  );
}
