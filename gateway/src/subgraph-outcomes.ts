import { Counter, type Registry } from "prom-client";

/** A counter, in `registry`, of something done per subgraph fetch, labelled by its outcome. */
export function countBySubgraphAndOutcome<Outcome extends string>(
  registry: Registry,
  name: string,
  help: string,
): (subgraph: string, outcome: Outcome) => void {
  const counter = new Counter({
    name,
    help,
    labelNames: ["subgraph", "outcome"],
    registers: [registry],
  });
  return (subgraph, outcome) => counter.inc({ subgraph, outcome });
}
