/**
 * `RATE_LIMITS` per subgraph high enough that a steady load of a few people never meets them:
 * for the fault tests and the soak, which measure other things than the limits.
 */
export const UNLIMITED_RATE_LIMITS: Record<string, Record<string, string>> = {
  identity: {
    RATE_LIMITS: "login:email=1000000/60,login:address=1000000/60,register:address=1000000/60",
  },
  chat: {
    RATE_LIMITS: "send-message:person=1000000/60,send-message:conversation=1000000/60",
  },
  discovery: { RATE_LIMITS: "swipe:person=1000000/60" },
  competitions: { RATE_LIMITS: "sync-activity:person=1000000/60" },
};
