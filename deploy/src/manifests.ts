import { readFileSync } from "node:fs";
import path from "node:path";
import { SHUTDOWN_GRACE_MS } from "@pulse/platform/server";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { Overlay } from "./overlays.ts";
import {
  DATABASE_SECRET,
  gateway,
  METRICS_PORT,
  services,
  subgraphs,
  type ServiceSpec,
} from "./services.ts";

/** Any object this module makes: each validates itself against the Kubernetes schema. */
export type Manifest = {
  kind: string;
  metadata?: { name?: string };
  validate(): void;
  toJSON(): unknown;
};

const repoRoot = path.resolve(import.meta.dirname, "../..");

/**
 * Seconds a terminating pod keeps serving before it gets SIGTERM, so that every node's
 * Service routing and the gateways' connection pools drop it first.
 */
export const PRE_STOP_SECONDS = 10;
/** The pre-stop wait, the process's own shutdown budget, and a margin before SIGKILL. */
export const TERMINATION_GRACE_SECONDS = PRE_STOP_SECONDS + SHUTDOWN_GRACE_MS / 1000 + 5;

/** The gateway reads the supergraph from this ConfigMap, mounted as a folder, and watches it. */
export const SUPERGRAPH_CONFIG_MAP = "pulse-supergraph";
const SUPERGRAPH_DIR = "/etc/pulse/supergraph";

export function labelsOf(service: string): Record<string, string> {
  return { "app.kubernetes.io/name": service, "app.kubernetes.io/part-of": "pulse" };
}

function image(overlay: Overlay, name: string, tag: string): string {
  return `${overlay.registry}/pulse-${name}:${tag}`;
}

function replicas(overlay: Overlay, spec: ServiceSpec) {
  const scaled = (count: number) => Math.max(1, Math.round(count * overlay.replicaScale));
  return { min: scaled(spec.replicas.min), max: Math.max(2, scaled(spec.replicas.max)) };
}

/** Hardening every container shares: the image's `node` user, nothing writable but /tmp. */
const containerSecurity: ISecurityContext = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

function podSpec(containers: IContainer[], extra: Partial<IPodSpec> = {}): IPodSpec {
  return {
    automountServiceAccountToken: false,
    containers,
    ...extra,
    volumes: [{ name: "tmp", emptyDir: {} }, ...(extra.volumes ?? [])],
  };
}

function gatewayEnv(overlay: Overlay): IEnvVar[] {
  return [
    { name: "SUPERGRAPH_PATH", value: `${SUPERGRAPH_DIR}/supergraph.graphql` },
    { name: "SUPERGRAPH_WATCH", value: "true" },
    { name: "TRUST_PROXY", value: "true" },
    { name: "TRUSTED_DOCUMENTS", value: overlay.trustedDocuments },
    { name: "JWKS_URL", value: `http://identity:${portOf("identity")}/.well-known/jwks.json` },
    ...subgraphs.map((subgraph) => ({
      name: `SUBGRAPH_${subgraph.name.toUpperCase()}_URL`,
      value: `http://${subgraph.name}:${subgraph.port}/graphql`,
    })),
  ];
}

function portOf(name: string): number {
  const spec = services.find((service) => service.name === name);
  if (!spec) throw new Error(`no service named ${name}`);
  return spec.port;
}

function deployment(overlay: Overlay, spec: ServiceSpec, tag: string): Deployment {
  const isGateway = spec.role === "gateway";
  const ports = [
    { name: "http", containerPort: spec.port },
    { name: "metrics", containerPort: METRICS_PORT },
  ];
  const probe = (probePath: string) => ({ httpGet: { path: probePath, port: "http" } });
  const container: IContainer = {
    name: spec.name,
    image: image(overlay, spec.name, tag),
    ports,
    env: [
      { name: "HOST", value: "0.0.0.0" },
      { name: "PORT", value: String(spec.port) },
      { name: "LOG_LEVEL", value: overlay.logLevel },
      { name: "METRICS_PORT", value: String(METRICS_PORT) },
      ...(isGateway ? gatewayEnv(overlay) : []),
    ],
    envFrom: spec.secrets.map((name) => ({ secretRef: { name } })),
    resources: spec.resources,
    // Up to a minute to start (migrations run in their own Job, before the rollout).
    startupProbe: { ...probe("/health"), periodSeconds: 2, failureThreshold: 30 },
    livenessProbe: {
      ...probe("/health"),
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    // Out of the Service while Postgres or Redis (or, for the gateway, the supergraph) is not there.
    readinessProbe: {
      ...probe("/ready"),
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 2,
    },
    lifecycle: { preStop: { exec: { command: ["sleep", String(PRE_STOP_SECONDS)] } } },
    securityContext: containerSecurity,
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      ...(isGateway ? [{ name: "supergraph", mountPath: SUPERGRAPH_DIR, readOnly: true }] : []),
    ],
  };
  return new Deployment({
    metadata: { name: spec.name, namespace: overlay.namespace, labels: labelsOf(spec.name) },
    spec: {
      // The autoscaler owns the count from here on; this is the first rollout's.
      replicas: replicas(overlay, spec).min,
      revisionHistoryLimit: 5,
      selector: { matchLabels: labelsOf(spec.name) },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
      template: {
        metadata: { labels: { ...labelsOf(spec.name), "app.kubernetes.io/version": tag } },
        spec: podSpec([container], {
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "kubernetes.io/hostname",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: labelsOf(spec.name) },
            },
          ],
          volumes: isGateway
            ? [{ name: "supergraph", configMap: { name: SUPERGRAPH_CONFIG_MAP } }]
            : [],
        }),
      },
    },
  });
}

function service(overlay: Overlay, spec: ServiceSpec): Service {
  const ports = [
    { name: "http", port: spec.port, targetPort: "http" },
    { name: "metrics", port: METRICS_PORT, targetPort: "metrics" },
  ];
  return new Service({
    metadata: { name: spec.name, namespace: overlay.namespace, labels: labelsOf(spec.name) },
    spec: { type: "ClusterIP", selector: labelsOf(spec.name), ports },
  });
}

function autoscaler(overlay: Overlay, spec: ServiceSpec): HorizontalPodAutoscaler {
  const { min, max } = replicas(overlay, spec);
  return new HorizontalPodAutoscaler({
    metadata: { name: spec.name, namespace: overlay.namespace, labels: labelsOf(spec.name) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: spec.name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
      ],
      // Gateways hold sockets: scaling down closes them (1001) and their clients reconnect.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  });
}

function disruptionBudget(overlay: Overlay, spec: ServiceSpec): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: { name: spec.name, namespace: overlay.namespace, labels: labelsOf(spec.name) },
    spec: { maxUnavailable: 1, selector: { matchLabels: labelsOf(spec.name) } },
  });
}

/**
 * Ingress only where a rule allows it: clients reach the gateway's public port, each subgraph's
 * by the gateway alone, and the monitoring namespace every process's metrics port.
 */
function networkPolicies(overlay: Overlay): NetworkPolicy[] {
  const metadata = (name: string) => ({
    name,
    namespace: overlay.namespace,
    labels: { "app.kubernetes.io/part-of": "pulse" },
  });
  const denyAll = new NetworkPolicy({
    metadata: metadata("default-deny-ingress"),
    spec: { podSelector: {}, policyTypes: ["Ingress"] },
  });
  const fromMonitoring = {
    from: [
      {
        namespaceSelector: {
          matchLabels: { "kubernetes.io/metadata.name": overlay.monitoringNamespace },
        },
      },
    ],
    ports: [{ port: "metrics" }],
  };
  const toGateway = new NetworkPolicy({
    metadata: metadata("gateway-ingress"),
    spec: {
      podSelector: { matchLabels: labelsOf(gateway.name) },
      policyTypes: ["Ingress"],
      ingress: [{ ports: [{ port: "http" }] }, fromMonitoring],
    },
  });
  const toSubgraphs = subgraphs.map(
    (spec) =>
      new NetworkPolicy({
        metadata: metadata(`${spec.name}-from-gateway`),
        spec: {
          podSelector: { matchLabels: labelsOf(spec.name) },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: labelsOf(gateway.name) } }],
              ports: [{ port: "http" }],
            },
            fromMonitoring,
          ],
        },
      }),
  );
  return [denyAll, toGateway, ...toSubgraphs];
}

/**
 * The supergraph the gateways plan with: applied last, once every subgraph's rollout finished,
 * so that no gateway plans a field onto a replica that does not have it yet. The gateways
 * reload it without a restart.
 */
export function supergraphManifests(overlay: Overlay): Manifest[] {
  return [namespace(overlay), supergraphConfigMap(overlay)];
}

function supergraphConfigMap(overlay: Overlay): ConfigMap {
  return new ConfigMap({
    metadata: {
      name: SUPERGRAPH_CONFIG_MAP,
      namespace: overlay.namespace,
      labels: { "app.kubernetes.io/part-of": "pulse" },
    },
    data: {
      "supergraph.graphql": readFileSync(path.join(repoRoot, "schema/supergraph.graphql"), "utf8"),
    },
  });
}

/** The release's migrations; named by the tag, so each release runs its own once. */
function migrationJob(overlay: Overlay, tag: string): Job {
  const name = `migrate-${tag}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 63);
  return new Job({
    metadata: { name, namespace: overlay.namespace, labels: labelsOf("migrate") },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 7 * 24 * 3600,
      template: {
        metadata: { labels: labelsOf("migrate") },
        spec: podSpec(
          [
            {
              name: "migrate",
              image: image(overlay, "migrate", tag),
              env: [
                {
                  name: "DATABASE_URL",
                  valueFrom: {
                    secretKeyRef: { name: DATABASE_SECRET, key: "MIGRATION_DATABASE_URL" },
                  },
                },
              ],
              resources: {
                requests: { cpu: "100m", memory: "256Mi" },
                limits: { memory: "512Mi" },
              },
              securityContext: containerSecurity,
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          { restartPolicy: "Never" },
        ),
      },
    },
  });
}

function namespace(overlay: Overlay): Namespace {
  return new Namespace({
    metadata: { name: overlay.namespace, labels: { "app.kubernetes.io/part-of": "pulse" } },
  });
}

/** Applied first: the namespace and the release's migration Job. */
export function migrationManifests(overlay: Overlay, tag: string): Manifest[] {
  return [namespace(overlay), migrationJob(overlay, tag)];
}

/** The services: applied once the migration Job of the same tag has completed. */
export function appManifests(overlay: Overlay, tag: string): Manifest[] {
  return [
    namespace(overlay),
    ...networkPolicies(overlay),
    ...services.flatMap((spec) => [
      deployment(overlay, spec, tag),
      service(overlay, spec),
      autoscaler(overlay, spec),
      disruptionBudget(overlay, spec),
    ]),
  ];
}
