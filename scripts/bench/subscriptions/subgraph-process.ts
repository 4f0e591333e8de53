// A role process: one subgraph from the registry, configured by its environment, on a free
// loopback port (BENCH_SUBGRAPH names it).
import { StatementCounter } from "@pulse/platform/subgraph";
import { subgraphRegistry } from "../../../subgraphs/registry.ts";
import { serveParent } from "./child-ipc.ts";

const name = process.env.BENCH_SUBGRAPH;
const entry = subgraphRegistry.find((candidate) => candidate.name === name);
if (!entry) throw new Error(`BENCH_SUBGRAPH must name a registered subgraph, not ${name}`);
const statements = new StatementCounter();
const service = await entry.createService(process.env, { statementCounter: statements });
const url = await service.subgraph.listen(0, "127.0.0.1");
serveParent(
  url,
  () => service.close(),
  () => statements.count,
);
