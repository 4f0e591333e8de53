// The Redis channels the baseline listens on: the ones chat publishes on.

/** The channel LivePubSub (`@pulse/platform`) publishes `topic` on: `<prefix>live:<topic>`. */
export const liveChannel = (prefix: string, topic: string): string => `${prefix}live:${topic}`;
