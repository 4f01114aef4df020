import { describe, expect, it } from "vitest";
import {
  CLUSTER_HOST_PATH,
  CLUSTER_PUBLISH,
  CLUSTER_VOLUME_REPLICAS,
  clusterProblem,
  clusterSettingsProblem,
} from "./service-placement.ts";

const plain = { job: false, hostAccess: {}, runtime: {}, stackMember: false, volumes: 0, hostPaths: 0, replicas: 1 };

describe("clusterProblem", () => {
  it("runs a service with named volumes and one replica; refuses host paths, several replicas with a volume, a published port", () => {
    expect(clusterProblem(plain)).toBeNull();
    expect(clusterProblem({ ...plain, volumes: 2 })).toBeNull();
    expect(clusterProblem({ ...plain, replicas: 3 })).toBeNull();
    expect(clusterProblem({ ...plain, volumes: 1, hostPaths: 1 })).toBe(CLUSTER_HOST_PATH);
    expect(clusterProblem({ ...plain, volumes: 1, replicas: 2 })).toBe(CLUSTER_VOLUME_REPLICAS);
    expect(clusterProblem({ ...plain, runtime: { publish: { hostPort: 5432, bindAddress: "127.0.0.1" } } })).toBe(CLUSTER_PUBLISH);
  });
});

describe("clusterSettingsProblem", () => {
  it("names the field: volumes for a host path, replicas for several replicas with a volume", () => {
    expect(clusterSettingsProblem({ replicas: 1, volumes: [{ hostPath: null }] })).toBeNull();
    expect(clusterSettingsProblem({ replicas: 4, volumes: [] })).toBeNull();
    expect(clusterSettingsProblem({ replicas: 1, volumes: [{ hostPath: "/srv" }] })).toEqual({
      field: "volumes",
      message: CLUSTER_HOST_PATH,
    });
    expect(clusterSettingsProblem({ replicas: 2, volumes: [{ hostPath: "" }] })).toEqual({
      field: "replicas",
      message: CLUSTER_VOLUME_REPLICAS,
    });
  });
});
