"use client";

import { useQuery } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useEffect, useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Loading, QueryError } from "../ui/query-state";
import { inviteParam, useAuthSubmit } from "./use-auth-submit";

interface SignUpInput {
  name: string;
  email: string;
  password: string;
}

const signInLink = (
  <IntentLink href="/sign-in" className="font-medium text-indigo-700 underline-offset-2 hover:underline">
    Sign in
  </IntentLink>
);

export function SignUpForm() {
  const trpc = useTRPC();
  const status = useQuery(trpc.instance.signupStatus.queryOptions());
  const [form, setForm] = useState<SignUpInput>({ name: "", email: "", password: "" });
  const submit = useAuthSubmit((input: SignUpInput) => authClient.signUp.email(input));
  // Came from an invitation link: sign-up is open for the invited email even when closed.
  const [invited, setInvited] = useState(false);
  useEffect(() => setInvited(inviteParam() !== null), []);

  if (status.isPending) return <Loading />;
  if (status.isError) return <QueryError error={status.error} onRetry={() => void status.refetch()} retrying={status.isFetching} />;
  if (status.data.hasUsers && !status.data.signupOpen && !invited) {
    return (
      <div className="space-y-3">
        <h1 className="text-lg font-semibold text-slate-900">Sign up</h1>
        <p role="status" className="text-sm text-slate-700">
          Sign-up is closed on this instance. Ask an administrator to open it.
        </p>
        <p className="text-sm text-slate-600">Already have an account? {signInLink}</p>
      </div>
    );
  }

  const update = (field: keyof SignUpInput) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));
  const errorFor = (field: keyof SignUpInput) => (submit.error?.field === field ? submit.error.message : undefined);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({ name: form.name.trim(), email: form.email.trim(), password: form.password });
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <h1 className="text-lg font-semibold text-slate-900">
        {status.data.hasUsers ? "Create your account" : "Create the owner account of this Berth instance"}
      </h1>
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        required
        value={form.name}
        onChange={update("name")}
        error={errorFor("name")}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={form.email}
        onChange={update("email")}
        error={errorFor("email")}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters."
        value={form.password}
        onChange={update("password")}
        error={errorFor("password")}
      />
      {submit.error && !submit.error.field && <ErrorAlert message={submit.error.message} />}
      <Button type="submit" className="w-full" pending={submit.isPending || submit.isSuccess} pendingLabel="Creating account…">
        Create account
      </Button>
      <p className="text-center text-sm text-slate-600">Already have an account? {signInLink}</p>
    </form>
  );
}
