import {
  getNamedType,
  getNullableType,
  isListType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** What a list counts as when nothing says how long it is (a person's photos: at most 9). */
export const DEFAULT_LIST_SIZE = 10;

/** A page's length when its `first` is not given (the contract's default). */
const DEFAULT_PAGE_SIZE = 20;

/**
 * The cost of running `operation` with `variables`: every field costs 1, times the length of
 * each list it stands in. A field with a `first` argument (a page) is a list of `first` (or the
 * contract's default of 20); the list directly below it (its `edges`) then counts once, not again.
 * Any other list counts {@link DEFAULT_LIST_SIZE}. Fragments are counted where they are spread.
 * Fields the schema does not know cost 1 (validation reports them).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    insidePage: boolean,
    visiting: ReadonlySet<string>,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parent, insidePage, visiting);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        const type = (condition && schema.getType(condition)) || parent;
        total += selectionCost(selection.selectionSet, type, insidePage, visiting);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A cycle is a validation error; counting stops at it.
        if (!fragment || visiting.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
        const inner = new Set(visiting).add(name);
        total += selectionCost(fragment.selectionSet, type, insidePage, inner);
      }
    }
    return total;
  };

  const fieldCost = (
    node: FieldNode,
    parent: GraphQLNamedType,
    insidePage: boolean,
    visiting: ReadonlySet<string>,
  ): number => {
    const field =
      "getFields" in parent
        ? (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>)[node.name.value]
        : undefined;
    if (!field) return 1;
    const pageSize = firstArgument(node, field, variables);
    const type = getNullableType(field.type);
    const length = pageSize ?? (isListType(type) && !insidePage ? DEFAULT_LIST_SIZE : 1);
    const children = node.selectionSet
      ? selectionCost(node.selectionSet, getNamedType(field.type), pageSize !== undefined, visiting)
      : 0;
    return length * (1 + children);
  };

  return selectionCost(operation.selectionSet, root, false, new Set());
}

/** The page size a field asks for: its `first` argument, given or defaulted; else undefined. */
function firstArgument(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  variables: Record<string, unknown>,
): number | undefined {
  const definition = field.args.find((argument) => argument.name === "first");
  if (!definition) return undefined;
  const given = node.arguments?.find((argument) => argument.name.value === "first");
  const value = given ? valueFromASTUntyped(given.value, variables) : definition.defaultValue;
  return typeof value === "number" && value > 0 ? value : DEFAULT_PAGE_SIZE;
}
