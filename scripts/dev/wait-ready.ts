import type { ServiceProcess } from "./service-process.ts";

const POLL_MS = 250;
const PATIENCE_MS = 30_000;

/**
 * Polls `baseUrl/ready` until it answers 200. Under `tsx watch` a service that fails to start is
 * restarted once its code is fixed, so this keeps waiting (with a hint after a while) and gives up
 * only when the watcher itself exits.
 */
export async function waitUntilReady(service: ServiceProcess, baseUrl: string): Promise<void> {
  const url = `${baseUrl}/ready`;
  const started = Date.now();
  let hinted = false;
  while (!(await answersOk(url))) {
    if (service.exited) throw new Error(`${service.name} exited before it was ready`);
    if (!hinted && Date.now() - started > PATIENCE_MS) {
      hinted = true;
      console.warn(`Still waiting for ${url}; see [${service.name}]'s output above.`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether `url` answers 200 within 3 s. */
export async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
