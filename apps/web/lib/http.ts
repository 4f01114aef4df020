/** How long any single request may take before the UI gives up and offers a retry. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * `fetch` that aborts after REQUEST_TIMEOUT_MS, so no request (and no spinner) can hang
 * forever, while still honouring the caller's own abort signal (react-query cancellation).
 */
export function fetchWithTimeout(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  return fetch(input, { ...init, signal });
}
