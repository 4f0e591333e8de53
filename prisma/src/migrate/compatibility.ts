import type { AlterTableCmd, Node, ParseResult, RangeVar } from "@pgsql/types";
import { parse } from "libpg-query";

/**
 * A migration's first line that says it is a contract step: its breaking statements are meant,
 * because the previous release no longer uses what they remove or tighten (ADR 0023).
 */
export const CONTRACT_MARKER = /^-- contract: \S/;

/** A statement the previous release's code may not survive, and why. */
export interface BreakingStatement {
  sql: string;
  reason: string;
}

const tableName = (relation: RangeVar | undefined) =>
  `${relation?.schemaname ?? "public"}.${relation?.relname}`;

/** Why an ALTER TABLE command breaks code that predates it, or undefined when it does not. */
function alterTableBreaks(command: AlterTableCmd, tableIsNew: boolean): string | undefined {
  switch (command.subtype) {
    case "AT_DropColumn":
      return `drops column ${command.name}`;
    case "AT_AlterColumnType":
      return `changes the type of column ${command.name}`;
    case "AT_SetNotNull":
      return `makes column ${command.name} required`;
    case "AT_AddConstraint":
      return tableIsNew ? undefined : "adds a constraint rows written by older code may break";
    case "AT_AddColumn": {
      const column = command.def && "ColumnDef" in command.def ? command.def.ColumnDef : undefined;
      const types = (column?.constraints ?? []).map(
        (constraint) => "Constraint" in constraint && constraint.Constraint.contype,
      );
      const required = types.includes("CONSTR_NOTNULL") && !types.includes("CONSTR_DEFAULT");
      return required ? `adds required column ${column?.colname} without a default` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The statements of `sql` that the previous release's code, still serving while a release
 * rolls out, may fail on: drops (but of indexes), renames, type changes, new NOT NULLs, required
 * columns without a default, constraints on existing tables. Parsed with PostgreSQL's own parser.
 */
export async function breakingStatements(sql: string): Promise<BreakingStatement[]> {
  const { stmts = [] }: ParseResult = await parse(sql);
  const created = new Set(
    stmts.flatMap(({ stmt }) =>
      stmt && "CreateStmt" in stmt ? [tableName(stmt.CreateStmt.relation)] : [],
    ),
  );
  const textOf = (location = 0, length?: number) =>
    sql.slice(location, length === undefined ? undefined : location + length).trim();
  return stmts.flatMap(({ stmt, stmt_location, stmt_len }) => {
    const reasons = stmt ? reasonsOf(stmt, created) : [];
    return reasons.map((reason) => ({ sql: textOf(stmt_location, stmt_len), reason }));
  });
}

function reasonsOf(stmt: Node, created: Set<string>): string[] {
  if ("DropStmt" in stmt) {
    const type = stmt.DropStmt.removeType;
    return type === "OBJECT_INDEX" ? [] : [`drops a ${String(type).replace("OBJECT_", "")}`];
  }
  if ("RenameStmt" in stmt) return [`renames a ${String(stmt.RenameStmt.renameType)}`];
  if ("AlterTableStmt" in stmt) {
    const tableIsNew = created.has(tableName(stmt.AlterTableStmt.relation));
    return (stmt.AlterTableStmt.cmds ?? []).flatMap((command) => {
      const reason =
        "AlterTableCmd" in command
          ? alterTableBreaks(command.AlterTableCmd, tableIsNew)
          : undefined;
      return reason ? [reason] : [];
    });
  }
  return [];
}
