/** @berth/engine: the container-engine port, its Docker adapter, and the pure helpers around them. */
export type {
  ContainerEngine,
  ContainerState,
  FollowLogsOptions,
  LogLine,
  ManagedContainer,
  OwnerRef,
  ReleaseInstance,
  ReleaseSpec,
  RunReleaseOptions,
} from "./port.ts";
export { DockerEngine, type DockerEngineOptions } from "./docker-engine.ts";
export { DEFAULT_SOCKET_PATH, DEFAULT_TIMEOUT_MS, ENGINE_API_VERSION, PING_TIMEOUT_MS } from "./engine-api.ts";
export {
  EngineError,
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
export { buildContainerSpec, buildEnv, PUBLISH_HOST_IP, tcpPortKey } from "./container-spec.ts";
export {
  buildReleaseLabels,
  isManagedByBerth,
  LABEL_DEPLOYMENT,
  LABEL_MANAGED_BY,
  LABEL_PROJECT,
  LABEL_SERVICE,
  LABEL_TEAM,
  managedFilters,
  MANAGED_BY_VALUE,
  parseDeploymentLabel,
  parseOwnerLabels,
  type Labels,
} from "./labels.ts";
export { buildContainerName, CONTAINER_NAME_PREFIX, type ContainerNameParts } from "./names.ts";
export { buildImage, type BuildImageOptions, type BuildImageResult } from "./build-image.ts";
export { packTar, type TarEntry } from "./tar.ts";
export { OWNED_IMAGE_PREFIX } from "./remove-images.ts";
export { DEFAULT_GRACE_SECONDS } from "./containers.ts";
export { DEFAULT_PULL_TIMEOUT_MS } from "./images.ts";
export { DEFAULT_READY_TIMEOUT_MS } from "./run-release.ts";
