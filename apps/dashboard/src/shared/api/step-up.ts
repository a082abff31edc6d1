import type { Middleware } from 'openapi-fetch';
import { isRecord } from './http';

/**
 * Step-up, in one place for every request of the dashboard: a sensitive action (issuing a key with a
 * custos: scope, changing a role, the policy, signing keys, SSO, deleting a person) answers 403
 * STEP_UP_REQUIRED when the person's last MFA check is older than the policy allows. The client then asks
 * for a code (the dialog registered with `setStepUpPrompt`), and once the API took it, sends the very
 * same request again, once. The page that sent it sees only the second answer: its mutation stays
 * pending while the dialog is open, and fails with STEP_UP_REQUIRED only if the person cancels.
 */

export const STEP_UP_REQUIRED = 'STEP_UP_REQUIRED';

/** Asks the person for a second factor; true once POST /v1/auth/step-up took it, false if they cancelled. */
export type StepUpPrompt = () => Promise<boolean>;

let prompt: StepUpPrompt | undefined;
/** One dialog for every request refused at once (a page sending two writes asks once). */
let asking: Promise<boolean> | undefined;

/** Registers the dialog (StepUpDialog, mounted once in the app's providers); undefined unregisters it. */
export function setStepUpPrompt(next: StepUpPrompt | undefined): void {
  prompt = next;
}

/** Opens the registered dialog (one at a time); false when none is mounted. */
export function askForStepUp(): Promise<boolean> {
  if (!prompt) return Promise.resolve(false);
  asking ??= prompt().finally(() => {
    asking = undefined;
  });
  return asking;
}

/** Whether an answer is the API's 403 STEP_UP_REQUIRED problem (read from a copy: the body stays unread). */
export async function isStepUpRequired(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  try {
    const body: unknown = await response.clone().json();
    return isRecord(body) && body.code === STEP_UP_REQUIRED;
  } catch {
    return false;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The client middleware: keeps a copy of each state-changing request (its body is gone once sent), and on
 * STEP_UP_REQUIRED asks, then sends the copy again with the client's own fetch. A second refusal is
 * answered as it is: no loop.
 */
export function stepUpMiddleware(ask: () => Promise<boolean> = askForStepUp): Middleware {
  const copies = new Map<string, Request>();
  return {
    onRequest({ request, id }) {
      if (UNSAFE_METHODS.has(request.method)) copies.set(id, request.clone());
      return undefined;
    },
    async onResponse({ response, id, options }) {
      const copy = copies.get(id);
      copies.delete(id);
      if (!copy || !(await isStepUpRequired(response))) return undefined;
      if (!(await ask())) return undefined;
      // Called unbound, as openapi-fetch calls it: a browser's fetch refuses any other `this` (Illegal invocation).
      const send = options.fetch;
      return send(copy);
    },
    onError({ id }) {
      copies.delete(id);
      return undefined;
    },
  };
}
