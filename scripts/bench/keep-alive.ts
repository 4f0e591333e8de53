// `pnpm bench:keepalive`: what keeping idle graphql-ws sockets alive costs a server's garbage
// collector, graphql-ws's own keep-alive against the platform's `keepAlive`, as the gateway and
// the subgraphs serve graphql-ws (`serveGraphqlWs`). Each server is a process of its
// own, with production's V8 flags; this process holds the sockets, which answer pings as any ws
// client does.
import { fork, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { buildSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import WebSocket, { WebSocketServer } from "ws";
import { serveGraphqlWs } from "../../platform/src/subscriptions/graphql-ws-server.ts";
import { requireOpenFiles } from "./subscriptions/fd-limit.ts";
import { watchStalls, type StallReading } from "./subscriptions/stalls.ts";

const VARIANTS = ["graphql-ws", "keepAlive"] as const;
type Variant = (typeof VARIANTS)[number];
type Reply = { port: number } | { reading: StallReading; heapUsed: number };

const CONNECT_BATCH = 200;

/** The server side: a bare graphql-ws server pinging with `variant`'s keep-alive. */
function serve(variant: Variant, intervalMs: number): void {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  const schema = buildSchema("type Query { ok: Boolean }");
  if (variant === "graphql-ws") useServer({ schema }, server, intervalMs);
  else serveGraphqlWs({ schema }, server, intervalMs);
  const stalls = watchStalls();
  const reply = (message: Reply) => process.send?.(message);
  server.once("listening", () => reply({ port: (server.address() as AddressInfo).port }));
  process.on("message", (message: "start" | "read") => {
    // Read before collecting at the end, so the forced collection is not counted.
    if (message === "start") globalThis.gc?.();
    const reading = stalls.read(message === "start");
    if (message === "read") globalThis.gc?.();
    reply({ reading, heapUsed: process.memoryUsage().heapUsed });
  });
  process.on("disconnect", () => process.exit(0));
}

function ask(child: ChildProcess, message?: "start" | "read"): Promise<Reply> {
  return new Promise((resolve) => {
    child.once("message", resolve);
    if (message) child.send(message);
  });
}

/** Opens `count` graphql-ws sockets to `port`, each acknowledged. */
async function connect(port: number, count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let opened = 0; opened < count; opened += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - opened) }, () => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}`, "graphql-transport-ws");
      sockets.push(socket);
      return new Promise<void>((resolve, reject) => {
        socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init" })));
        socket.once("message", () => resolve());
        socket.once("error", reject);
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

async function measure(variant: Variant, count: number, intervalMs: number, seconds: number) {
  const child = fork(import.meta.filename, ["--serve", variant, String(intervalMs)], {
    execArgv: [...process.execArgv, "--expose-gc", "--max-semi-space-size=64"],
  });
  const { port } = (await ask(child)) as { port: number };
  const sockets = await connect(port, count);
  const before = (await ask(child, "start")) as { heapUsed: number };
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = (await ask(child, "read")) as { reading: StallReading; heapUsed: number };
  for (const socket of sockets) socket.terminate();
  child.kill();
  const { minorGcs, minorGcTotalMs, majorGcs } = after.reading;
  const mean = minorGcs > 0 ? minorGcTotalMs / minorGcs : 0;
  const retained = (after.heapUsed - before.heapUsed) / 2 ** 20;
  console.log(
    `${variant.padEnd(10)}  scavenges ${minorGcs}, ${minorGcTotalMs.toFixed(0)} ms in all (mean ${mean.toFixed(1)} ms); ` +
      `major collections ${majorGcs}; heap after a full collection ${retained >= 0 ? "+" : ""}${retained.toFixed(1)} MiB`,
  );
}

if (process.argv[2] === "--serve") {
  serve(process.argv[3] as Variant, Number(process.argv[4]));
} else {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    options: {
      n: { type: "string", default: "10000" },
      interval: { type: "string", default: "3000" },
      seconds: { type: "string", default: "40" },
    },
  });
  const [count, intervalMs, seconds] = [values.n, values.interval, values.seconds].map(Number);
  requireOpenFiles(count!);
  console.log(
    `${count} idle graphql-ws sockets pinged every ${intervalMs} ms, garbage collection of the server over ${seconds} s:`,
  );
  for (const variant of VARIANTS) await measure(variant, count!, intervalMs!, seconds!);
}
