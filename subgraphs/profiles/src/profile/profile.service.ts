import { Prisma, type Profile as ProfileRow } from "@pulse/db";
import { conflict, notFound, type Viewer } from "@pulse/platform/server";
import {
  isUniqueViolation,
  parseInput,
  type Outbox,
  type PrismaClient,
  type PrismaTransaction,
} from "@pulse/platform/subgraph";
import type { ProfileCards } from "./profile-cards.service.ts";
import { recordProfileChanged } from "./profile-changed.service.ts";
import {
  locationInputSchema,
  preferencesInputSchema,
  profileInputSchema,
  type LocationInput,
  type PreferencesInput,
  type ProfileInput,
} from "./profile.input.ts";
import { usernameKey } from "./username.rules.ts";

/** Preferences a new profile starts with, until the person sets their own. */
export const DEFAULT_PREFERENCES = { minAge: 18, maxAge: 99, maxDistanceKm: 50 };

export interface ProfileServiceDeps {
  prisma: PrismaClient;
  outbox: Outbox;
  cards: Pick<ProfileCards, "invalidate">;
}

/** A person's own profile, preferences and location; every change publishes `profile.changed`. */
export class ProfileService {
  constructor(private readonly deps: ProfileServiceDeps) {}

  /**
   * Creates the viewer's profile, with default preferences (genders: whom they are interested
   * in), or replaces it.
   *
   * @throws CONFLICT on `input.username` when someone else has it, in any case.
   */
  async upsert(viewer: Viewer, input: ProfileInput): Promise<ProfileRow> {
    const valid = parseInput(profileInputSchema(new Date()), input, "input");
    const fields = { ...valid, usernameKey: usernameKey(valid.username) };
    try {
      return await this.change((tx) =>
        tx.profile.upsert({
          where: { userId: viewer.id },
          create: {
            ...fields,
            userId: viewer.id,
            ...DEFAULT_PREFERENCES,
            preferredGenders: valid.interestedIn,
          },
          update: { ...fields, version: { increment: 1 } },
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict("This username is taken", "input.username");
      }
      throw error;
    }
  }

  /** @throws NOT_FOUND when the viewer has no profile yet. */
  updatePreferences(viewer: Viewer, input: PreferencesInput): Promise<ProfileRow> {
    const { genders, ...rest } = parseInput(preferencesInputSchema, input, "input");
    return this.update(viewer, { ...rest, preferredGenders: genders });
  }

  /** @throws NOT_FOUND when the viewer has no profile yet. */
  updateLocation(viewer: Viewer, input: LocationInput): Promise<ProfileRow> {
    return this.update(viewer, parseInput(locationInputSchema, input, "input"));
  }

  private async update(viewer: Viewer, data: Prisma.ProfileUpdateInput): Promise<ProfileRow> {
    try {
      return await this.change((tx) =>
        tx.profile.update({
          where: { userId: viewer.id },
          data: { ...data, version: { increment: 1 } },
        }),
      );
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") {
        throw notFound("Create your profile first");
      }
      throw error;
    }
  }

  /**
   * Applies a change to the viewer's profile and publishes the result, in one transaction, then
   * drops the cached card.
   */
  private async change(write: (tx: PrismaTransaction) => Promise<ProfileRow>): Promise<ProfileRow> {
    const profile = await this.deps.prisma.$transaction(async (tx) => {
      const changed = await write(tx);
      await recordProfileChanged(tx, this.deps.outbox, changed);
      return changed;
    });
    await this.deps.cards.invalidate(profile.userId);
    return profile;
  }
}
