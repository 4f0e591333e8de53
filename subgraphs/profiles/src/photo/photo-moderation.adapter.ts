/** What a moderator sees of a photo: the person and the uploaded bytes, already type-checked. */
export interface PhotoUnderReview {
  userId: string;
  photoId: string;
  bytes: Buffer;
}

export type ModerationVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides whether a photo may be shown, before it becomes visible. Plug a real classifier
 * (nudity, violence, minors, ...) in here without touching the upload flow.
 */
export interface PhotoModerator {
  review(photo: PhotoUnderReview): Promise<ModerationVerdict>;
}

/** The default driver: allows everything. */
export class AllowAllModerator implements PhotoModerator {
  async review(): Promise<ModerationVerdict> {
    return { allowed: true };
  }
}
