import { createServer } from "vite";

/**
 * The example app on Vite's dev server at http://localhost:<free port>, for tests that drive it
 * in a browser: another origin than the gateway's, so CORS is exercised for real.
 */
export async function startWebApp(): Promise<{ url: string; close(): Promise<void> }> {
  const server = await createServer({
    root: import.meta.dirname,
    configFile: false,
    logLevel: "warn",
    server: { host: "localhost", port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("Vite did not say where it listens");
  return { url, close: () => server.close() };
}
