import type { Prisma, Service } from "@berth/db";
import { readStoredRuntime } from "../services/runtime-settings.ts";
import type { PullRequest } from "../webhooks/pull-requests.ts";

/** The hidden service of pull request `number` of `parent` (unique in the project; at most 63 characters). */
export function previewServiceName(parentName: string, number: number): string {
  return `pr-${number}-${parentName}`.slice(0, 63).replace(/-$/, "");
}

/**
 * What a preview's hidden service takes from the service it previews, at creation and again
 * before each deployment (settings saved on the service reach its previews' next deploy):
 * the build and runtime settings, one replica, no published host port and no volumes (a volume
 * belongs to one service: a preview must not write the service's data). The source is the
 * pull request's head branch: of the service's own repository with its credentials, or (a
 * fork) of the head repository without any -- the service's token or deploy key never goes to
 * another repository.
 */
export function previewServiceData(parent: Service, pr: Pick<PullRequest, "headBranch" | "headRepoUrl" | "fromFork">) {
  const runtime = readStoredRuntime(parent.runtime);
  const fork = pr.fromFork;
  return {
    kind: parent.kind,
    containerPort: parent.containerPort,
    runtime: { ...runtime, publish: null } as unknown as Prisma.InputJsonValue,
    replicas: 1,
    strategy: parent.strategy === "stop_first" ? null : parent.strategy,
    sourceType: "git" as const,
    image: "",
    gitUrl: fork ? pr.headRepoUrl : parent.gitUrl,
    gitBranch: pr.headBranch,
    gitCommit: null,
    dockerfilePath: parent.dockerfilePath,
    contextPath: parent.contextPath,
    buildArgs: parent.buildArgs as Prisma.InputJsonValue,
    gitToken: fork ? null : parent.gitToken,
    deployKeyPrivate: fork ? null : parent.deployKeyPrivate,
    deployKeyPublic: fork ? null : parent.deployKeyPublic,
    sshKnownHosts: fork ? null : parent.sshKnownHosts,
    cloneTimeoutS: parent.cloneTimeoutS,
    buildTimeoutS: parent.buildTimeoutS,
    startTimeoutS: parent.startTimeoutS,
    healthTimeoutS: parent.healthTimeoutS,
  };
}
