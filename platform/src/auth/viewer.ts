import { forbidden, unauthenticated } from "../errors/errors.ts";
import type { Viewer } from "./forwarded-identity.ts";

/** Anything that knows who is calling. */
export interface HasViewer {
  viewer: Viewer | null;
}

/**
 * The signed-in viewer.
 *
 * @throws UNAUTHENTICATED when the request carries no valid access token.
 */
export function requireViewer(context: HasViewer): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

/**
 * The signed-in viewer, who must be an administrator.
 *
 * @throws UNAUTHENTICATED without a valid token, FORBIDDEN for anyone but an admin.
 */
export function requireAdmin(context: HasViewer): Viewer {
  const viewer = requireViewer(context);
  if (viewer.role !== "ADMIN") throw forbidden("Administrators only");
  return viewer;
}
