"use client";

import { useQuery } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { SecondFactorForm } from "./second-factor-form";
import { useAuthSubmit } from "./use-auth-submit";

export function SignInForm() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.instance.signupStatus.queryOptions(), retry: false });
  const features = useQuery({ ...trpc.instance.features.queryOptions(), retry: false });
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const submit = useAuthSubmit((input: { email: string; password: string }) => authClient.signIn.email(input));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({ email: email.trim(), password });
  };
  if (submit.data === "two-factor") return <SecondFactorForm />;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <h1 className="text-lg font-semibold text-slate-900">Sign in</h1>
      {status.data && !status.data.hasUsers && (
        <p className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
          This instance has no accounts yet.{" "}
          <IntentLink className="font-medium underline" href="/sign-up">
            Create the owner account
          </IntentLink>
          .
        </p>
      )}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={submit.error?.field === "email" ? submit.error.message : undefined}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={submit.error?.field === "password" ? submit.error.message : undefined}
      />
      {features.data?.passwordReset && (
        <p className="text-right text-sm">
          <IntentLink href="/forgot-password" className="text-indigo-700 underline-offset-2 hover:underline">
            Forgot your password?
          </IntentLink>
        </p>
      )}
      {submit.error && !submit.error.field && <ErrorAlert message={submit.error.message} />}
      <Button type="submit" className="w-full" pending={submit.isPending || submit.isSuccess} pendingLabel="Signing in…">
        Sign in
      </Button>
      <p className="text-center text-sm text-slate-600">
        No account?{" "}
        <IntentLink href="/sign-up" className="font-medium text-indigo-700 underline-offset-2 hover:underline">
          Sign up
        </IntentLink>
      </p>
    </form>
  );
}
