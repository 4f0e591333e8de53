import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";

/** A generated document (`…Document` of `@pulse/client`): its text, typed by result and variables. */
export type PulseDocument<Result, Variables> = DocumentTypeDecoration<Result, Variables> & {
  toString(): string;
};

/** Variables as an operation takes them: none for an operation that declares none. */
export type VariablesOf<Variables> =
  Variables extends Record<string, never> ? Variables | undefined : Variables;

const OPERATION_NAME = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;
const AFTER_VARIABLE = /\$after\s*:/;

/** The name of a document's (first) operation, sent as `operationName`. */
export const operationNameOf = (text: string): string | undefined => OPERATION_NAME.exec(text)?.[1];

/** Whether a subscription declares `$after`, so it can resume from a cursor. */
export const isResumable = (text: string): boolean => AFTER_VARIABLE.test(text);

/** The `cursor` of a subscription event's root field, when it selects one. */
export function cursorOf(data: unknown): string | undefined {
  if (!data || typeof data !== "object") return undefined;
  const [root] = Object.values(data);
  const cursor: unknown =
    root && typeof root === "object" ? Reflect.get(root, "cursor") : undefined;
  return typeof cursor === "string" ? cursor : undefined;
}
