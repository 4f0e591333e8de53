import { GraphQLScalarType } from "graphql";
import { DateTimeResolver, LocalDateResolver } from "graphql-scalars";

/** `DateTime`: an ISO-8601 instant with offset, for example `2026-01-31T09:30:00.000Z`. */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  name: "DateTime",
  description:
    "An instant in time as an ISO-8601 string with offset, e.g. `2026-01-31T09:30:00.000Z`.",
});

/** `Date`: a calendar date as `YYYY-MM-DD`, with no time or zone. */
export const DateScalar = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  name: "Date",
  description: "A calendar date as `YYYY-MM-DD`, with no time of day or time zone.",
});
