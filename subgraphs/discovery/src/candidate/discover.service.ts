import { type Viewer } from "@pulse/platform/server";
import { pageSize, type PrismaClient } from "@pulse/platform/subgraph";
import type { DiscoverCandidate } from "./candidate.type.ts";
import { findCandidates, findCandidatesOnReplica } from "./candidate.query.ts";

/** `discover` answers 20 candidates unless asked otherwise, and never more than 50. */
const DISCOVER_LIMITS = { defaultSize: 20, maxSize: 50 };

/** Ranked candidates for the viewer, from discovery's read model. */
export class DiscoverService {
  /**
   * @param prisma the primary.
   * @param reads where lag-tolerant reads go (ADR 0025): a replica, or `prisma` itself.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly reads: PrismaClient,
  ) {}

  async discover(viewer: Viewer, first: number | null | undefined): Promise<DiscoverCandidate[]> {
    const size = pageSize(first, DISCOVER_LIMITS);
    if (size === 0) return [];
    const rows =
      this.reads === this.prisma
        ? await findCandidates(this.prisma, viewer.id, size)
        : await findCandidatesOnReplica(
            { primary: this.prisma, replica: this.reads },
            viewer.id,
            size,
          );
    return rows.map(({ userId, distanceKm, score }) => ({
      user: { id: userId },
      distanceKm,
      score,
    }));
  }
}
