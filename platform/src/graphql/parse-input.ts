import { badUserInput } from "../errors/errors.ts";
import type { z } from "zod";

/**
 * Validates a GraphQL input with a zod schema.
 *
 * @param path the argument's name, such as `input`; the error names `<path>.<field>`.
 * @throws BAD_USER_INPUT with the first problem's message and field path (`input.birthdate`).
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  path: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw badUserInput([path, ...issue.path.map(String)].join("."), issue.message);
}
