/**
 * @berth/engine: the container-engine port, its Docker adapter, the types of their signatures,
 * and the helpers the control plane uses. The engine's own tests import its other modules
 * directly: nothing is exported here for a test alone.
 */
export type {
  ContainerEngine,
  ContainerState,
  EnsureImageOptions,
  EnsureServiceResult,
  FollowLogsOptions,
  Handover,
  LogLine,
  ManagedContainer,
  ManagedScope,
  ManagedVolume,
  OwnerRef,
  ReleaseInstance,
  ReleaseSpec,
  HostAccess,
  ReplaceReleaseOptions,
  ReplicaInstance,
  RunReleaseOptions,
} from "./port.ts";
export type { HealthCheckSpec, NetworkSpec, PortMapping, ResourceLimits, RestartPolicySpec, Ulimit, VolumeMount } from "./spec-types.ts";
export type { ContainerStatus, EngineEvent, StatsSample } from "./observe-types.ts";
export type { ExecOptions, ExecResult, ExecSession, ExecSessionOptions } from "./exec-types.ts";
export type { OneOffResult, OneOffSpec, RunOneOffOptions } from "./one-off-types.ts";
export type { RegistryAuth } from "./registry-auth.ts";
export { encodeRegistryAuth, registryOf } from "./registry-auth.ts";
export type { EngineConnection } from "./connection.ts";
export { bindSourcesProblem } from "./bind-sources.ts";
export { canonicalJson } from "./spec-hash.ts";
export { buildReleaseImageRef } from "./release-images.ts";
export {
  isCapabilityName,
  isCleanAbsolutePath,
  isDevicePermissions,
  isValidNetworkAlias,
  MAX_REPLICAS,
  NETWORK_ALIAS_RULE,
  PLACEMENT_CONSTRAINT,
} from "./validate-spec.ts";
export { DockerEngine, type DockerEngineOptions } from "./docker-engine.ts";
export type { VolumeRef } from "./volume-archive.ts";
export {
  EngineError,
  engineMessage,
  isEngineError,
  type EngineErrorCode,
  type EngineErrorDetails,
  type EngineErrorInit,
} from "./errors.ts";
export { ENV_NAME_RULE, isValidEnvName, isValidEnvValue, isValidImageRef, isValidServiceName } from "./validate.ts";
export {
  isValidRunAsUser,
  isValidWorkingDir,
  memlockProblem,
  RUN_AS_USER_RULE,
  ULIMIT_NAMES,
  ulimitProblem,
  WORKING_DIR_RULE,
} from "./process-identity.ts";
export { LABEL_SERVICE, type Labels } from "./labels.ts";
export { buildNetworkName } from "./names.ts";
export { buildImage, type BuildImageOptions, type BuildImageResult, type BuilderKind } from "./build-image.ts";
export type { TarEntry } from "./tar.ts";
export { OWNED_IMAGE_PREFIX } from "./remove-images.ts";
export type { EngineSystemInfo } from "./system-info.ts";
export type { EngineDiskUsage, ReclaimOptions, ReclaimResult } from "./disk-usage.ts";
export { DEFAULT_GRACE_SECONDS } from "./containers.ts";
export { buildSwarmServiceName } from "./swarm/service-spec.ts";
export type { SwarmRelease, SwarmReleaseOptions, SwarmTask } from "./swarm/swarm-services.ts";
export { VOLUME_COPY_IMAGE } from "./transfer.ts";
export { SwarmCluster, type NodeChange } from "./swarm/swarm-cluster.ts";
export { SwarmServices } from "./swarm/swarm-service-ops.ts";
export { CLUSTER_REGISTRY, clusterRegistryAddress, clusterRepository, type ClusterRegistrySpec } from "./swarm/registry-spec.ts";
export { DEFAULT_REGISTRY_READY_TIMEOUT_MS } from "./swarm/cluster-registry.ts";
export { CLUSTER_EDGE, EDGE_ROUTE_HEADER, edgeRouteProblem, type ClusterEdgeSpec, type EdgeRoute } from "./swarm/edge-spec.ts";
export type { PushedImage, PushTarget } from "./push-image.ts";
export type { NodeAvailability, NodeState, SwarmLocalState, SwarmMembership, SwarmNode, SwarmRole } from "./swarm/cluster-parse.ts";
