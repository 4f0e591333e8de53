import fc from "fast-check";
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

/**
 * A number JSON.stringify cannot write (`1e400`, `-1e400`), sent as written so the gateway's
 * JSON parser and GraphQL's coercion meet it. `hostileJson` spells it out.
 */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** JSON text of `body`, with each RawNumber written as its text. */
export function hostileJson(body: unknown): string {
  const raws: string[] = [];
  const marker = "@@raw-number-7f3a@@";
  const json = JSON.stringify(body, (_key, value: unknown) =>
    value instanceof RawNumber ? `${marker}${raws.push(value.text) - 1}${marker}` : value,
  );
  return json.replace(
    new RegExp(`"${marker}(\\d+)${marker}"`, "g"),
    (_match, index: string) => raws[Number(index)]!,
  );
}

/** Strings that have broken servers: control characters, numbers in disguise, injections. */
const nastyStrings = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e400",
  "-0",
  "null",
  "undefined",
  "true",
  "{}",
  "[]",
  "'; DROP TABLE account; --",
  "%s%n%x",
  "../../../etc/passwd",
  "\u202etxt.exe",
  "\ud800",
  "\uffff",
  "💥👩‍👩‍👧‍👦",
  "ＡＢＣ",
  "0000-00-00",
  "2024-02-30",
  "+275760-09-13T00:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
  "__proto__",
);

/** Long strings: longer than any field allows, yet under the gateway's 1 MiB body limit. */
const longStrings = fc
  .record({
    length: fc.integer({ min: 1_000, max: 200_000 }),
    unit: fc.constantFrom("a", "é", "💥", "\u0000"),
  })
  .map(({ length, unit }) => unit.repeat(Math.ceil(length / unit.length)));

const strings = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 3, arbitrary: nastyStrings },
  { weight: 1, arbitrary: longStrings },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.emailAddress() },
);

const numbers = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1, max: 1_000 }),
  fc.double(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_VALUE, -0, 1e21, 0.5),
  fc.constantFrom(new RawNumber("1e400"), new RawNumber("-1e400"), new RawNumber("1e-400")),
);

const dates = fc
  .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
  .chain((date) =>
    fc.constantFrom(date.toISOString(), date.toISOString().slice(0, 10), String(date.getTime())),
  );

/** Anything JSON can carry, nested: objects where scalars belong, and the reverse. */
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: true }),
  strings,
  numbers,
  fc.boolean(),
  fc.constant(null),
);

/** A value for a scalar: mostly of its type (to get past coercion and reach the resolvers), some garbage. */
function scalarValue(name: string, knownIds: readonly string[]): fc.Arbitrary<unknown> {
  const ids = fc.oneof(fc.uuid(), strings, fc.integer());
  const typed: Record<string, fc.Arbitrary<unknown>> = {
    String: strings,
    ID: knownIds.length
      ? fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom(...knownIds) },
          { weight: 1, arbitrary: ids },
        )
      : ids,
    Int: numbers,
    Float: numbers,
    Boolean: fc.boolean(),
    Date: fc.oneof(dates, strings),
    DateTime: fc.oneof(dates, strings),
  };
  return fc.oneof(
    { weight: 4, arbitrary: typed[name] ?? strings },
    { weight: 1, arbitrary: garbage },
  );
}

/**
 * Hostile values of a GraphQL input type: of the right shape with wrong contents, of the wrong
 * shape, null where null is refused, fields missing or unknown, lists empty, single or huge.
 */
export function hostileValue(
  type: GraphQLInputType,
  knownIds: readonly string[] = [],
  depth = 0,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    return fc.oneof(
      { weight: 9, arbitrary: hostileValue(type.ofType, knownIds, depth) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  }
  if (isListType(type)) {
    const item = hostileValue(type.ofType, knownIds, depth + 1);
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(item, { maxLength: 5 }) },
      { weight: 1, arbitrary: item },
      { weight: 1, arbitrary: fc.array(item, { minLength: 501, maxLength: 700 }) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  }
  if (isEnumType(type)) {
    const names = type.getValues().map((value) => value.name);
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...names) },
      { weight: 1, arbitrary: fc.constantFrom(...names).map((name) => name.toLowerCase()) },
      { weight: 1, arbitrary: garbage },
    );
  }
  if (isScalarType(type))
    return fc.oneof(
      { weight: 9, arbitrary: scalarValue(type.name, knownIds) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  if (isInputObjectType(type)) {
    if (depth > 3) return garbage;
    const fields = Object.fromEntries(
      Object.values(type.getFields()).map((field) => [
        field.name,
        hostileValue(field.type, knownIds, depth + 1),
      ]),
    );
    const record = fc.record(fields, { requiredKeys: [] });
    return fc.oneof(
      { weight: 6, arbitrary: record },
      {
        weight: 1,
        arbitrary: fc
          .tuple(record, fc.dictionary(fc.string({ maxLength: 8 }), garbage, { maxKeys: 3 }))
          .map(([known, unknown]) => ({ ...unknown, ...known })),
      },
      { weight: 1, arbitrary: garbage },
    );
  }
  return garbage;
}

/**
 * Hostile variables of an operation: each variable hostile, any of them missing. IDs are drawn
 * from `knownIds` (real people, conversations, competitions) two times in three, so cases reach
 * past "not found" into the checks of whose a thing is.
 */
export function hostileVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  knownIds: readonly string[] = [],
): fc.Arbitrary<Record<string, unknown>> {
  const variables = Object.fromEntries(
    (operation.variableDefinitions ?? []).map((definition) => {
      const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
      if (!type) throw new Error(`unknown type of $${definition.variable.name.value}`);
      return [definition.variable.name.value, hostileValue(type, knownIds)];
    }),
  );
  return fc.record(variables, { requiredKeys: [] });
}
