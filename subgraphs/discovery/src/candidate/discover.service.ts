import { type Viewer } from "@pulse/platform/server";
import { pageSize, type PrismaClient } from "@pulse/platform/subgraph";
import type { DiscoverCandidate } from "./candidate.type.ts";
import { findCandidates } from "./candidate.query.ts";

/** `discover` answers 20 candidates unless asked otherwise, and never more than 50. */
const DISCOVER_LIMITS = { defaultSize: 20, maxSize: 50 };

/** Ranked candidates for the viewer, from discovery's read model. */
export class DiscoverService {
  constructor(private readonly prisma: PrismaClient) {}

  async discover(viewer: Viewer, first: number | null | undefined): Promise<DiscoverCandidate[]> {
    const size = pageSize(first, DISCOVER_LIMITS);
    if (size === 0) return [];
    const rows = await findCandidates(this.prisma, viewer.id, size);
    return rows.map(({ userId, distanceKm, score }) => ({
      user: { id: userId },
      distanceKm,
      score,
    }));
  }
}
