// `pnpm redis:cluster start|stop`: a local three-master Redis Cluster on 127.0.0.1:7100-7102
// (scripts/lib/local-redis-cluster.ts); `start` reuses a healthy one and prints its REDIS_URL.
// `pnpm redis:cluster exec <command…>` starts it, then runs the command with REDIS_URL naming it:
// `pnpm test:e2e:cluster` is the end-to-end tier against the cluster.
import { spawn } from "node:child_process";
import { startLocalRedisCluster, stopLocalRedisCluster } from "./lib/local-redis-cluster.ts";

const [action, ...command] = process.argv.slice(2);

try {
  if (action === "start") {
    const { url, started } = await startLocalRedisCluster();
    console.log(`${started ? "Started" : "Reusing"} the local Redis Cluster: REDIS_URL=${url}`);
  } else if (action === "stop") {
    await stopLocalRedisCluster();
    console.log("Stopped the local Redis Cluster");
  } else if (action === "exec" && command.length > 0) {
    const { url } = await startLocalRedisCluster();
    console.log(`REDIS_URL=${url} ${command.join(" ")}`);
    const child = spawn(command[0]!, command.slice(1), {
      stdio: "inherit",
      env: { ...process.env, REDIS_URL: url },
    });
    child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  } else {
    console.error("usage: redis-cluster.ts start | stop | exec <command…>");
    process.exit(2);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
