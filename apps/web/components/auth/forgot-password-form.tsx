"use client";

import { useMutation } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useState, type FormEvent } from "react";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";

/** `/forgot-password`: mails a reset link (when the instance has SMTP). Says the same whether or not the account exists. */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState("");
  const request = useMutation({
    mutationFn: async (address: string) => {
      const { error } = await authClient.requestPasswordReset({ email: address, redirectTo: "/reset-password" });
      if (error) throw new Error(authErrorMessage(error));
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(email.trim());
  };
  if (request.isSuccess) {
    return (
      <div className="space-y-3">
        <h1 className="text-lg font-semibold text-slate-900">Check your email</h1>
        <p role="status" className="text-sm text-slate-700">
          If {request.variables} has an account, a link to reset its password is on its way. It works for an hour.
        </p>
        <IntentLink href="/sign-in" className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline">
          Back to sign in
        </IntentLink>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <h1 className="text-lg font-semibold text-slate-900">Reset your password</h1>
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      {request.error && <ErrorAlert message={request.error.message} />}
      <Button type="submit" className="w-full" pending={request.isPending} pendingLabel="Sending…">
        Email me a reset link
      </Button>
    </form>
  );
}
