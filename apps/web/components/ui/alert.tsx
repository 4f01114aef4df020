import { Button } from "./button";

export interface ErrorAlertProps {
  message: string;
  onRetry?: (() => void) | undefined;
  retrying?: boolean;
}

/** An error the user can read, with a Retry button when the action can be repeated. */
export function ErrorAlert({ message, onRetry, retrying = false }: ErrorAlertProps) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-danger-line bg-danger-soft px-4 py-3 text-sm text-danger-fg"
    >
      <p>{message}</p>
      {onRetry && (
        <Button variant="secondary" onClick={onRetry} pending={retrying} pendingLabel="Retrying…">
          Retry
        </Button>
      )}
    </div>
  );
}
