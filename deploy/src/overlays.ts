/** What differs between the environments Pulse is deployed to. */
export interface Overlay {
  name: string;
  namespace: string;
  /** Images are `<registry>/pulse-<service>:<tag>` (and `pulse-migrate`). */
  registry: string;
  /** Replicas as a share of each service's production figures (at least 1). */
  replicaScale: number;
  logLevel: string;
  /** The gateway's `TRUSTED_DOCUMENTS`: `log` until the apps are known to send nothing else. */
  trustedDocuments: "off" | "log" | "enforce";
  /** The namespace whose Prometheus scrapes the gateway's metrics port. */
  monitoringNamespace: string;
}

export const overlays: Record<string, Overlay> = {
  staging: {
    name: "staging",
    namespace: "pulse-staging",
    registry: "registry.example.com/pulse",
    replicaScale: 0.5,
    logLevel: "debug",
    trustedDocuments: "log",
    monitoringNamespace: "monitoring",
  },
  production: {
    name: "production",
    namespace: "pulse",
    registry: "registry.example.com/pulse",
    replicaScale: 1,
    logLevel: "info",
    trustedDocuments: "log",
    monitoringNamespace: "monitoring",
  },
};
