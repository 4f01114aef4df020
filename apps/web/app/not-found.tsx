import { IntentLink } from "../components/ui/intent-link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-3 px-6 text-center">
      <h1 className="text-2xl font-semibold text-slate-900">Page not found</h1>
      <p className="text-sm text-slate-600">There is nothing at this address.</p>
      <IntentLink
        href="/"
        className="rounded-md text-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        Go to your projects
      </IntentLink>
    </main>
  );
}
