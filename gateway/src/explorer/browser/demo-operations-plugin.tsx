// A side panel listing the client contract's operations; a click opens one in a new tab, with a
// variables skeleton and the signed-in Authorization header.
import { useGraphiQL, useGraphiQLActions, type GraphiQLPlugin } from "@graphiql/react";
import { Kind, parse, type DefinitionNode, type OperationDefinitionNode } from "graphql";
import type { DemoOperation, ExplorerConfig } from "../explorer-config.ts";
import { headersText } from "./session.ts";

const KINDS = ["query", "mutation", "subscription"] as const;

export function demoOperationsPlugin(config: ExplorerConfig): GraphiQLPlugin {
  function DemoOperations() {
    const { addTab, setOperationFacts } = useGraphiQLActions();
    const editors = useGraphiQL(({ queryEditor, variableEditor, headerEditor }) => ({
      queryEditor,
      variableEditor,
      headerEditor,
    }));

    function open(operation: DemoOperation) {
      addTab();
      editors.queryEditor?.setValue(operation.body);
      // GraphiQL parses the editor after a delay; until then it would run this document with the
      // previous tab's operation name (and over HTTP, not knowing it is a subscription).
      const documentAST = parse(operation.body);
      setOperationFacts({
        documentAST,
        operationName: operation.name,
        operations: documentAST.definitions.filter(isOperation),
      });
      editors.variableEditor?.setValue(variablesSkeleton(operation.body));
      editors.headerEditor?.setValue(headersText());
    }

    return (
      <div className="pulse-demo-operations">
        <div className="graphiql-doc-explorer-title">Contract operations</div>
        <p>
          The operations the apps send (@pulse/client's persisted documents). A click opens a tab.
        </p>
        {KINDS.map((kind) => (
          <section key={kind}>
            <h3>
              {kind === "query" ? "Queries" : kind === "mutation" ? "Mutations" : "Subscriptions"}
            </h3>
            <ul>
              {config.operations
                .filter((operation) => operation.type === kind)
                .map((operation) => (
                  <li key={operation.name}>
                    <button
                      type="button"
                      className="graphiql-un-styled"
                      data-operation={operation.name}
                      onClick={() => open(operation)}
                    >
                      {operation.name}
                    </button>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
    );
  }

  return { title: "Contract operations", icon: OperationsIcon, content: DemoOperations };
}

/** `{ "name": null, … }` for each variable of the document's operation, to be filled in. */
function variablesSkeleton(body: string): string {
  const operation = parse(body).definitions.find(isOperation);
  const names =
    operation?.variableDefinitions?.map((variable) => variable.variable.name.value) ?? [];
  return names.length
    ? JSON.stringify(Object.fromEntries(names.map((name) => [name, null])), null, 2)
    : "";
}

function isOperation(definition: DefinitionNode): definition is OperationDefinitionNode {
  return definition.kind === Kind.OPERATION_DEFINITION;
}

function OperationsIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <path d="M5 4h14M5 10h14M5 16h9" />
    </svg>
  );
}
