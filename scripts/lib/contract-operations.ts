import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";

/** The repo's copy of the client contract's operations. */
export const operationsDir = path.resolve(import.meta.dirname, "../../test/contract/operations");

/** Every contract file, parsed, by file name (`identity.graphql`, ...). */
export function loadContractDocuments(): Map<string, DocumentNode> {
  const files = readdirSync(operationsDir).filter((name) => name.endsWith(".graphql"));
  return new Map(
    files.sort().map((name) => [name, parse(readFileSync(path.join(operationsDir, name), "utf8"))]),
  );
}

/** Each contract operation as a standalone document (with the fragments it uses), by name. */
export function loadContractOperations(): Map<string, string> {
  const operations = new Map<string, string>();
  for (const document of loadContractDocuments().values()) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments.set(definition.name.value, definition);
    }
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
      const used = usedFragments(definition, fragments);
      operations.set(definition.name.value, [definition, ...used].map(print).join("\n\n"));
    }
  }
  return operations;
}

function usedFragments(
  node: OperationDefinitionNode | FragmentDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FragmentDefinitionNode[] {
  const found: FragmentDefinitionNode[] = [];
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      const fragment = fragments.get(name);
      if (seen.has(name) || !fragment) return;
      seen.add(name);
      found.push(fragment, ...usedFragments(fragment, fragments, seen));
    },
  });
  return found;
}
