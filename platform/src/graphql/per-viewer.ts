import {
  BREAK,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";
import { Extensions } from "type-graphql";

/** The field extension that marks a field whose value depends on who asks. */
const PER_VIEWER_EXTENSION = "perViewer";

/**
 * Marks a field whose value depends on the viewer (`isJoined`, `myStanding`). A subscription that
 * selects one never offers its events to other subscribers (see `SHARED_STATE_EXTENSION`).
 */
export const PerViewer = () => Extensions({ [PER_VIEWER_EXTENSION]: true });

/** Whether `document` selects, anywhere, a field marked {@link PerViewer}. */
export function selectsPerViewerField(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        if (typeInfo.getFieldDef()?.extensions[PER_VIEWER_EXTENSION] !== true) return undefined;
        found = true;
        return BREAK;
      },
    }),
  );
  return found;
}
