// Where Monaco (GraphiQL's editor) finds its web workers: files the gateway bundles next to the
// page (explorer-assets.ts), instead of a CDN or a bundler plugin.
const WORKER_FILES: Record<string, string> = {
  graphql: "graphql.worker.js",
  json: "json.worker.js",
};

Object.assign(globalThis, {
  MonacoEnvironment: {
    getWorker(_workerId: string, label: string): Worker {
      const file = WORKER_FILES[label] ?? "editor.worker.js";
      return new Worker(new URL(`/explorer/${file}`, window.location.href));
    },
  },
});
