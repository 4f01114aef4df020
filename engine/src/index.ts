/** @berth/engine: the container-engine port, its Docker adapter, and the pure helpers around them. */
export type {
  ContainerEngine,
  ContainerState,
  EnsureImageOptions,
  EnsureServiceResult,
  FollowLogsOptions,
  Handover,
  LogLine,
  ManagedContainer,
  ManagedVolume,
  OwnerRef,
  ReleaseInstance,
  ReleaseSpec,
  HostAccess,
  ReplaceReleaseOptions,
  ReplicaInstance,
  RunReleaseOptions,
} from "./port.ts";
export type {
  HealthCheckSpec,
  NetworkSpec,
  PortMapping,
  ProbeTiming,
  ResourceLimits,
  RestartPolicySpec,
  VolumeMount,
} from "./spec-types.ts";
export type { ContainerStatus, EngineEvent, StatsSample } from "./observe-types.ts";
export type { ExecOptions, ExecResult, ExecSession, ExecSessionOptions } from "./exec-types.ts";
export type { OneOffResult, OneOffSpec, RunOneOffOptions } from "./one-off-types.ts";
export { buildOneOffContainerSpec } from "./one-off-spec.ts";
export type { RegistryAuth } from "./registry-auth.ts";
export { buildAuthConfig, encodeRegistryAuth, registryOf } from "./registry-auth.ts";
export { buildDockerOptions, buildHostVerifier, isLoopback, type BuiltConnection, type EngineConnection } from "./connection.ts";
export { buildHealthGate, DEFAULT_WORKER_STABLE_MS, imageHasHealthcheck, type HealthGate } from "./health-gate.ts";
export { bindSourcesProblem, FORBIDDEN_HOST_PATHS, forbiddenBindReason } from "./bind-sources.ts";
export { canonicalJson, specHash } from "./spec-hash.ts";
export { buildReleaseImageRef, DEFAULT_RETAIN_IMAGES, planRetention, RELEASE_REPOSITORY_PREFIX } from "./release-images.ts";
export { computeCpuPercent, parseEngineEvent, toStatsSample } from "./observe-parse.ts";
export {
  assertValidReleaseExtras,
  isCapabilityName,
  isCleanAbsolutePath,
  isDevicePermissions,
  isValidDnsName,
  MAX_HEALTH_PERIOD_MS,
  MAX_PIDS_LIMIT,
  MAX_REPLICAS,
  MIN_PIDS_LIMIT,
  PLACEMENT_CONSTRAINT,
  VOLUME_NAME,
} from "./validate-spec.ts";
export { DockerEngine, type DockerEngineOptions } from "./docker-engine.ts";
export { VOLUME_MOUNT, type VolumeRef } from "./volume-archive.ts";
export { DEFAULT_SOCKET_PATH, DEFAULT_TIMEOUT_MS, ENGINE_API_VERSION, PING_TIMEOUT_MS } from "./engine-api.ts";
export {
  EngineError,
  engineMessage,
  isEngineError,
  toEngineError,
  type EngineErrorCode,
  type EngineErrorDetails,
  type EngineErrorInit,
} from "./errors.ts";
export {
  assertValidReleaseSpec,
  isValidContainerRef,
  isValidEnvName,
  isValidEnvValue,
  isValidId,
  isValidImageRef,
  isValidPort,
  isValidServiceName,
} from "./validate.ts";
export {
  buildContainerSpec,
  buildEnv,
  buildMounts,
  buildPorts,
  buildRestartPolicy,
  PUBLISH_HOST_IP,
  releaseNetworkName,
  tcpPortKey,
} from "./container-spec.ts";
export {
  buildReleaseLabels,
  isManagedByBerth,
  LABEL_DEPLOYMENT,
  LABEL_ONE_OFF,
  LABEL_MANAGED_BY,
  LABEL_PROJECT,
  LABEL_REPLICA,
  LABEL_SCOPE,
  LABEL_SPEC_HASH,
  LABEL_VOLUME,
  buildResourceLabels,
  LABEL_SERVICE,
  LABEL_TEAM,
  managedFilters,
  MANAGED_BY_VALUE,
  parseDeploymentLabel,
  parseOwnerLabels,
  type Labels,
} from "./labels.ts";
export { buildContainerName, buildNetworkName, buildVolumeName, CONTAINER_NAME_PREFIX, type ContainerNameParts } from "./names.ts";
export { buildImage, type BuildImageOptions, type BuildImageResult, type BuilderKind } from "./build-image.ts";
export { buildSecretMask, SECRET_MASK } from "./build-secrets.ts";
export { packTar, type TarEntry } from "./tar.ts";
export { OWNED_IMAGE_PREFIX } from "./remove-images.ts";
export {
  planReclaim,
  RECLAIM_PREFIXES,
  type DfBuildCache,
  type DfImage,
  type ReclaimImage,
  type ReclaimPlan,
  type ReclaimPlanInput,
} from "./reclaim-plan.ts";
export type { EngineSystemInfo } from "./system-info.ts";
export { DEFAULT_RECLAIM_MAX_AGE_MS, type EngineDiskUsage, type ReclaimOptions, type ReclaimResult } from "./disk-usage.ts";
export { DEFAULT_GRACE_SECONDS } from "./containers.ts";
export { DEFAULT_PULL_TIMEOUT_MS } from "./images.ts";
export { DEFAULT_READY_TIMEOUT_MS } from "./run-release.ts";
export { buildOverlayNetworkName, buildSwarmHealthcheck, buildSwarmServiceName, buildSwarmServiceSpec } from "./swarm/service-spec.ts";
export { hopelessTaskReason } from "./swarm/swarm-waits.ts";
export { DEFAULT_SWARM_TIMEOUT_MS, type SwarmRelease, type SwarmReleaseOptions, type SwarmTask } from "./swarm/swarm-services.ts";
export { VOLUME_COPY_IMAGE } from "./transfer.ts";
export { SwarmCluster, SWARM_LISTEN_ADDR, type NodeChange } from "./swarm/swarm-cluster.ts";
export {
  buildForwarderServiceSpec,
  buildRegistryServiceSpec,
  CLUSTER_REGISTRY,
  clusterRegistryAddress,
  clusterRepository,
  type ClusterRegistrySpec,
} from "./swarm/registry-spec.ts";
export { DEFAULT_REGISTRY_READY_TIMEOUT_MS } from "./swarm/cluster-registry.ts";
export { CLUSTER_EDGE, EDGE_ROUTE_HEADER, edgeRouteProblem, type ClusterEdgeSpec, type EdgeRoute } from "./swarm/edge-spec.ts";
export { DEFAULT_EDGE_READY_TIMEOUT_MS } from "./swarm/cluster-edge.ts";
export { DEFAULT_PUSH_TIMEOUT_MS, type PushedImage, type PushTarget } from "./push-image.ts";
export type { NodeAvailability, NodeState, SwarmLocalState, SwarmMembership, SwarmNode, SwarmRole } from "./swarm/cluster-parse.ts";
