// A role process: one subgraph from the registry, configured by its environment, on a free
// loopback port (BENCH_SUBGRAPH names it).
import { subgraphRegistry } from "../../../subgraphs/registry.ts";
import { serveParent } from "./child-ipc.ts";

const name = process.env.BENCH_SUBGRAPH;
const entry = subgraphRegistry.find((candidate) => candidate.name === name);
if (!entry) throw new Error(`BENCH_SUBGRAPH must name a registered subgraph, not ${name}`);
const service = await entry.createService(process.env);
const url = await service.subgraph.listen(0, "127.0.0.1");
serveParent(url, () => service.close());
