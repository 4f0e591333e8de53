import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { SHUTDOWN_GRACE_MS } from "@pulse/platform/server";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  appManifests,
  labelsOf,
  migrationManifests,
  PRE_STOP_SECONDS,
  SUPERGRAPH_CONFIG_MAP,
  supergraphManifests,
} from "./manifests.ts";
import { overlays } from "./overlays.ts";
import { toYaml } from "./render.ts";
import { gateway, subgraphs } from "./services.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
type Labels = Record<string, string>;
type Rendered = { kind: string; metadata: { name: string } } & Record<string, unknown>;

/** What `pnpm k8s:render` prints, parsed back: the objects `kubectl apply` would receive. */
function render(
  part: (overlay: (typeof overlays)[string], tag: string) => ReturnType<typeof appManifests>,
  overlay: string,
): Rendered[] {
  return parseAllDocuments(toYaml(part(overlays[overlay]!, "1.2.3"))).map(
    (document) => document.toJS() as Rendered,
  );
}

function ofKind<T>(objects: Rendered[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as unknown as T[];
}

const selects = (selector: { matchLabels?: Labels } | undefined, labels: Labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);

/**
 * The peers NetworkPolicies let reach `port` of pods labelled `labels` ("anyone" when a rule
 * has no `from`), or undefined when no policy selects those pods (then anyone can).
 */
function allowedPeers(
  policies: INetworkPolicy[],
  labels: Labels,
  port: string,
): (INetworkPolicyPeer | "anyone")[] | undefined {
  const selecting = policies.filter((policy) => selects(policy.spec!.podSelector, labels));
  if (selecting.length === 0) return undefined;
  return selecting
    .flatMap((policy) => policy.spec!.ingress ?? [])
    .filter((rule) => !rule.ports || rule.ports.some((rulePort) => rulePort.port === port))
    .flatMap((rule): (INetworkPolicyPeer | "anyone")[] => rule.from ?? ["anyone"]);
}

describe.each(Object.keys(overlays))("the %s manifests", (overlay) => {
  const app = render(appManifests, overlay);
  const deployments = ofKind<IDeployment>(app, "Deployment");

  it("deploy the gateway and every subgraph of the workspace", () => {
    const workspaceSubgraphs = readdirSync(path.join(repoRoot, "subgraphs"), {
      withFileTypes: true,
    })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(deployments.map((deployment) => deployment.metadata!.name).sort()).toEqual(
      ["gateway", ...workspaceSubgraphs].sort(),
    );
  });

  it("give every container both probes, resources, and time for the graceful shutdown", () => {
    for (const deployment of deployments) {
      const pod = deployment.spec!.template.spec!;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
        PRE_STOP_SECONDS + SHUTDOWN_GRACE_MS / 1000,
      );
      for (const container of pod.containers) {
        expect(container.readinessProbe?.httpGet?.path).toBe("/ready");
        expect(container.livenessProbe?.httpGet?.path).toBe("/health");
        expect(container.resources?.requests).toMatchObject({
          cpu: expect.any(String),
          memory: expect.any(String),
        });
        expect(container.resources?.limits?.memory).toEqual(expect.any(String));
        expect(container.lifecycle?.preStop?.exec?.command).toEqual([
          "sleep",
          String(PRE_STOP_SECONDS),
        ]);
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
        });
      }
    }
  });

  it("give every Deployment a disruption budget and an autoscaler", () => {
    const budgets = ofKind<IPodDisruptionBudget>(app, "PodDisruptionBudget");
    const autoscalers = ofKind<IHorizontalPodAutoscaler>(app, "HorizontalPodAutoscaler");
    for (const deployment of deployments) {
      const podLabels = deployment.spec!.template.metadata!.labels!;
      const budget = budgets.filter((pdb) => selects(pdb.spec!.selector, podLabels));
      expect(budget, deployment.metadata!.name).toHaveLength(1);
      expect(budget[0]!.spec!.maxUnavailable).toBe(1);
      const autoscaler = autoscalers.filter(
        (hpa) =>
          hpa.spec!.scaleTargetRef.kind === "Deployment" &&
          hpa.spec!.scaleTargetRef.name === deployment.metadata!.name,
      );
      expect(autoscaler, deployment.metadata!.name).toHaveLength(1);
      expect(autoscaler[0]!.spec!.minReplicas).toBeGreaterThanOrEqual(1);
    }
  });

  it("let only the gateway reach the subgraphs, clients only the gateway, monitoring only metrics", () => {
    const policies = ofKind<INetworkPolicy>(app, "NetworkPolicy");
    for (const subgraph of subgraphs) {
      expect(allowedPeers(policies, labelsOf(subgraph.name), "http"), subgraph.name).toEqual([
        { podSelector: { matchLabels: labelsOf(gateway.name) } },
      ]);
    }
    expect(allowedPeers(policies, labelsOf(gateway.name), "http")).toEqual(["anyone"]);
    // Every process's metrics: the monitoring namespace alone, on a port clients never reach.
    for (const service of [gateway, ...subgraphs]) {
      expect(allowedPeers(policies, labelsOf(service.name), "metrics"), service.name).toEqual([
        {
          namespaceSelector: {
            matchLabels: { "kubernetes.io/metadata.name": overlays[overlay]!.monitoringNamespace },
          },
        },
      ]);
    }
    for (const deployment of deployments) {
      const [container] = deployment.spec!.template.spec!.containers;
      const metricsPort = container!.env!.find((variable) => variable.name === "METRICS_PORT");
      const port = container!.ports!.find((candidate) => candidate.name === "metrics");
      expect(metricsPort?.value, deployment.metadata!.name).toBe(String(port?.containerPort));
    }
    // Anything else in the namespace (the migration Job, a new pod) gets no ingress at all.
    expect(allowedPeers(policies, { "app.kubernetes.io/name": "other" }, "http")).toEqual([]);
    for (const service of ofKind<IService>(app, "Service")) {
      expect(service.spec!.type, service.metadata!.name).toBe("ClusterIP");
    }
  });

  it("take secrets by reference only", () => {
    expect(app.filter((object) => object.kind === "Secret")).toEqual([]);
    for (const deployment of deployments) {
      for (const container of deployment.spec!.template.spec!.containers) {
        const literal = (container.env ?? []).filter((variable) => variable.value !== undefined);
        for (const variable of literal) {
          expect(variable.name).not.toMatch(/SECRET|PASSWORD|PRIVATE_KEY|DATABASE_URL|REDIS_URL/);
        }
      }
    }
    const gatewaySecrets = deployments
      .find((deployment) => deployment.metadata!.name === "gateway")!
      .spec!.template.spec!.containers[0]!.envFrom!.map((source) => source.secretRef!.name);
    expect(gatewaySecrets).toEqual(["pulse-shared"]);
  });

  it("point the gateway at every subgraph's Service and at the supergraph ConfigMap it watches", () => {
    const pod = deployments.find((deployment) => deployment.metadata!.name === "gateway")!.spec!
      .template.spec!;
    const container = pod.containers[0]!;
    const env = Object.fromEntries((container.env ?? []).map((v) => [v.name, v.value]));
    const services = ofKind<IService>(app, "Service");
    for (const subgraph of subgraphs) {
      const port = services.find((service) => service.metadata!.name === subgraph.name)!.spec!
        .ports![0]!.port;
      expect(env[`SUBGRAPH_${subgraph.name.toUpperCase()}_URL`]).toBe(
        `http://${subgraph.name}:${port}/graphql`,
      );
    }
    expect(env.SUPERGRAPH_WATCH).toBe("true");
    const volume = pod.volumes!.find((candidate) => candidate.configMap)!;
    expect(volume.configMap!.name).toBe(SUPERGRAPH_CONFIG_MAP);
    // A subPath mount would never see the ConfigMap change.
    const mount = container.volumeMounts!.find((candidate) => candidate.name === volume.name)!;
    expect(mount.subPath).toBeUndefined();
    expect(env.SUPERGRAPH_PATH).toBe(`${mount.mountPath}/supergraph.graphql`);
    const configMap = ofKind<IConfigMap>(render(supergraphManifests, overlay), "ConfigMap")[0]!;
    expect(configMap.data!["supergraph.graphql"]).toBe(
      readFileSync(path.join(repoRoot, "schema/supergraph.graphql"), "utf8"),
    );
  });

  it("migrate with a Job of the release, on the migration role, run once", () => {
    const [job] = ofKind<IJob>(render(migrationManifests, overlay), "Job");
    const pod = job!.spec!.template.spec!;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.containers[0]!.image).toMatch(/\/pulse-migrate:1\.2\.3$/);
    expect(pod.containers[0]!.env).toEqual([
      {
        name: "DATABASE_URL",
        valueFrom: { secretKeyRef: { name: "pulse-database", key: "MIGRATION_DATABASE_URL" } },
      },
    ]);
  });
});

it("refuses an object the Kubernetes schema rejects", () => {
  const [deployment] = appManifests(overlays.production!, "1.2.3").filter(
    (manifest) => manifest.kind === "Deployment",
  );
  (deployment as unknown as IDeployment).spec!.replicas = "two" as unknown as number;
  expect(() => toYaml([deployment!])).toThrow(/replicas/);
});
