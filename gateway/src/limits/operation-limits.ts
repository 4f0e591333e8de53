import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { badUserInput, ErrorCode, MAX_BODY_BYTES } from "@pulse/platform/server";
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { operationCost } from "./operation-cost.ts";

/**
 * What one operation may ask, on HTTP and on every graphql-ws `subscribe` alike. Every contract
 * operation stays well inside, at its largest pages (a unit test checks each); the dearest is
 * `Conversations(first: 100)`, cost 8,900. docs/operations.md says why each number is what it is.
 */
export const OPERATION_LIMITS = {
  /** Nested selections, fragments flattened: the contract's deepest is 8. */
  maxDepth: 15,
  /** Aliased fields in one operation: the apps send none; each alias of a root field is a call. */
  maxAliases: 15,
  /** Directives in one operation (`@include`, `@skip`). */
  maxDirectives: 20,
  /** Lexical tokens in one document: refuses a huge document before it is even parsed whole. */
  maxTokens: 2_000,
  /** Fields times the lengths of the lists they stand in ({@link operationCost}). */
  maxCost: 20_000,
  /** The largest WebSocket frame: HTTP's body limit. */
  maxPayloadBytes: MAX_BODY_BYTES,
} as const;

export type OperationLimits = typeof OPERATION_LIMITS;

/** A request error with the contract's code for a malformed or oversized operation. */
function refused(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
  });
}

/** Refuses Float literals that are no finite number (`1e400`): JSON cannot carry them on. */
const finiteFloats: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  FloatValue(node) {
    if (!Number.isFinite(Number(node.value))) {
      context.reportError(refused(`${node.value} is not a finite number`));
    }
  },
});

/** The validation rules every operation passes besides GraphQL's own. */
export function limitRules(limits: OperationLimits = OPERATION_LIMITS): ValidationRule[] {
  // graphql-armor's rules throw by default, which a server answers as its own failure: reported
  // instead, as the validation errors they are.
  const armor = {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(refused(error.message.replace(/^Syntax Error: /, ""))),
    ],
  };
  return [
    maxDepthRule({ ...armor, n: limits.maxDepth, flattenFragments: true }),
    maxAliasesRule({ ...armor, n: limits.maxAliases }),
    maxDirectivesRule({ ...armor, n: limits.maxDirectives }),
    finiteFloats,
  ] as ValidationRule[];
}

/**
 * The operation a request runs, or the error that says why there is none: a document with
 * several operations needs `operationName`, and it must name one of them.
 */
export function selectOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | GraphQLError {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) {
    const named = operations.find((operation) => operation.name?.value === operationName);
    return named ?? refused(`No operation named "${operationName}" in the document`);
  }
  if (operations.length === 1) return operations[0]!;
  return refused("The document has several operations: say which one with operationName");
}

/**
 * What an operation asks, checked once its variables are known: its cost within the limit,
 * and no NUL character in any string it carries (Postgres cannot store one, and no text of ours
 * needs one).
 */
export function checkRequest(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: OperationLimits = OPERATION_LIMITS,
): GraphQLError | undefined {
  const nul = variables ? pathOfNul(variables) : undefined;
  if (nul !== undefined) return badUserInput(nul, "Text must not contain NUL characters");
  const literal = literalWithNul(operation);
  if (literal) return badUserInput(literal, "Text must not contain NUL characters");
  const cost = operationCost(schema, document, operation, variables);
  if (cost > limits.maxCost) {
    return refused(`Operation cost ${cost} exceeds the limit of ${limits.maxCost}`);
  }
  return undefined;
}

/** The path (`input.displayName`) of the first string holding a NUL character, if any. */
function pathOfNul(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = pathOfNul(inner, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The argument name of the first string literal in `operation` holding a NUL character. */
function literalWithNul(operation: OperationDefinitionNode): string | undefined {
  let found: string | undefined;
  const visit = (node: unknown, argument: string | undefined): void => {
    if (found !== undefined || node === null || typeof node !== "object") return;
    const record = node as { kind?: string; value?: unknown; name?: { value: string } };
    if (record.kind === Kind.STRING && String(record.value).includes("\u0000")) {
      found = argument ?? "query";
      return;
    }
    const name = record.kind === Kind.ARGUMENT ? record.name?.value : argument;
    for (const [key, inner] of Object.entries(node)) {
      if (key === "loc") continue;
      if (Array.isArray(inner)) for (const item of inner) visit(item, name);
      else visit(inner, name);
    }
  };
  visit(operation, undefined);
  return found;
}
