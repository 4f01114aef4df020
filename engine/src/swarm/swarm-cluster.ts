/**
 * Forming and tending a Docker Swarm through one engine's connection: init, join tokens, join,
 * leave, the node list, a node's availability and labels, removing a node. Engine API calls
 * only; no state of its own. Join tokens are secrets: they travel in request bodies only, and a
 * failed join's error carries neither the token nor the raw request (no `cause`).
 */
import { EngineApi, type DockerEngineOptions } from "../engine-api.ts";
import { EngineError, engineMessage, engineStatusCode } from "../errors.ts";
import {
  parseMembership,
  parseNode,
  type NodeAvailability,
  type RawNode,
  type RawSwarmInfo,
  type SwarmMembership,
  type SwarmNode,
  type SwarmRole,
} from "./cluster-parse.ts";
import { DEFAULT_PUSH_TIMEOUT_MS, pushImage, type PushedImage, type PushTarget } from "../push-image.ts";
import type { RegistryAuth } from "../registry-auth.ts";
import { registryLogin } from "../registry-login.ts";
import { DEFAULT_REGISTRY_READY_TIMEOUT_MS, ensureClusterRegistry, waitForRegistry } from "./cluster-registry.ts";
import type { ClusterRegistrySpec } from "./registry-spec.ts";
import { DEFAULT_EDGE_READY_TIMEOUT_MS, ensureClusterEdge } from "./cluster-edge.ts";
import type { ClusterEdgeSpec } from "./edge-spec.ts";

/** Swarm's default control-plane port, on every address of the node. */
export const SWARM_LISTEN_ADDR = "0.0.0.0:2377";
/** Joining waits for the managers' answer (raft, certificates); Docker itself gives up after ~20 s. */
export const SWARM_JOIN_TIMEOUT_MS = 60_000;
const NODE_ID = /^[a-z0-9]{25}$/;

const STATUS = {
  200: true,
  400: "bad parameter",
  404: "not found",
  406: "node is not part of a swarm",
  409: "conflict",
  500: "server error",
  503: "node is not part of a swarm",
};

export interface NodeChange {
  availability?: NodeAvailability;
  labels?: Record<string, string>;
  role?: SwarmRole;
}

function assertNodeId(id: string, operation: string): void {
  if (!NODE_ID.test(id)) throw new EngineError({ code: "INVALID", operation, resource: id, message: `${operation}: not a swarm node id` });
}

export class SwarmCluster {
  private readonly api: EngineApi;

  constructor(options: DockerEngineOptions) {
    this.api = new EngineApi(options);
  }

  /** Where the engine is (for messages; never a secret). */
  get target(): string {
    return this.api.target;
  }

  private get<T>(operation: string, resource: string, path: string, query?: object): Promise<T> {
    return this.api.call(operation, resource, (abortSignal) =>
      this.api.dial<T>({ path, method: "GET", ...(query ? { options: { _query: query } } : {}), abortSignal, statusCodes: STATUS }),
    );
  }

  private send<T>(
    operation: string,
    resource: string,
    request: { path: string; method: "POST" | "DELETE"; query?: object; body?: object },
    timeoutMs?: number,
  ): Promise<T> {
    return this.api.call(
      operation,
      resource,
      (abortSignal) =>
        this.api.dial<T>({
          path: request.path,
          method: request.method,
          options: { ...(request.query ? { _query: request.query } : {}), ...(request.body ? { _body: request.body } : {}) },
          abortSignal,
          statusCodes: STATUS,
        }),
      timeoutMs,
    );
  }

  /** Whether and how this engine is in a swarm (`/info`); also the cheapest "is it there". */
  async membership(): Promise<SwarmMembership> {
    return parseMembership(await this.get<RawSwarmInfo>("swarm membership", this.api.target, "/info"));
  }

  /** Start a new swarm with this engine as its first manager; returns its node id. */
  async init(advertiseAddr: string): Promise<string> {
    const id = await this.send<string>("swarm init", this.api.target, {
      path: "/swarm/init?",
      method: "POST",
      body: { ListenAddr: SWARM_LISTEN_ADDR, AdvertiseAddr: advertiseAddr },
    });
    return String(id).replace(/"/g, "").trim();
  }

  /** The token a new node of this role joins with (a manager only). A secret: pass it to join(), nowhere else. */
  async joinToken(role: SwarmRole): Promise<string> {
    const swarm = await this.get<{ JoinTokens?: { Worker?: string; Manager?: string } }>("read join token", this.api.target, "/swarm");
    const token = role === "manager" ? swarm.JoinTokens?.Manager : swarm.JoinTokens?.Worker;
    if (!token)
      throw new EngineError({
        code: "ENGINE_ERROR",
        operation: "read join token",
        resource: this.api.target,
        message: "the manager gave no join token",
      });
    return token;
  }

  /** Join a swarm through its managers; resolves once this engine is a node. */
  async join(options: { remoteAddrs: string[]; joinToken: string; advertiseAddr: string }): Promise<void> {
    const operation = "swarm join";
    const body = {
      ListenAddr: SWARM_LISTEN_ADDR,
      AdvertiseAddr: options.advertiseAddr,
      RemoteAddrs: options.remoteAddrs,
      JoinToken: options.joinToken,
    };
    try {
      await this.send("swarm join", this.api.target, { path: "/swarm/join?", method: "POST", body }, SWARM_JOIN_TIMEOUT_MS);
    } catch (err) {
      // Rebuilt without `cause`: the original error could carry the request, and with it the token.
      const reason = (err instanceof EngineError ? err.message : engineMessage(err)).split(options.joinToken).join("[join token]");
      const code = err instanceof EngineError ? err.code : "ENGINE_ERROR";
      const status = engineStatusCode(err);
      throw new EngineError({
        code,
        operation,
        resource: this.api.target,
        message: reason,
        ...(status === undefined ? {} : { details: { statusCode: status } }),
      });
    }
  }

  /** Leave the swarm (`force`: also as a manager, which gives up its part of the raft quorum). */
  async leave(force: boolean): Promise<void> {
    await this.send("swarm leave", this.api.target, { path: "/swarm/leave?", method: "POST", query: { force } });
  }

  /** Every node, as this manager sees it. */
  async nodes(): Promise<SwarmNode[]> {
    return (await this.get<RawNode[]>("list nodes", this.api.target, "/nodes")).map(parseNode);
  }

  async node(id: string): Promise<SwarmNode> {
    assertNodeId(id, "inspect node");
    return parseNode(await this.get<RawNode>("inspect node", id, `/nodes/${id}`));
  }

  /** Change availability, labels (replaced as a whole) or role; the rest of the node's spec stays. */
  async updateNode(id: string, change: NodeChange): Promise<SwarmNode> {
    assertNodeId(id, "update node");
    // The node's version moves on its own (a node that just came back re-registers): a write
    // naming an older one is "update out of sequence", read again and retried (bounded).
    for (let attempt = 1; ; attempt++) {
      const raw = await this.get<RawNode>("inspect node", id, `/nodes/${id}`);
      const spec = {
        ...raw.Spec,
        ...(change.availability ? { Availability: change.availability } : {}),
        ...(change.labels ? { Labels: change.labels } : {}),
        ...(change.role ? { Role: change.role } : {}),
      };
      try {
        await this.send("update node", id, {
          path: `/nodes/${id}/update?`,
          method: "POST",
          query: { version: raw.Version?.Index ?? 0 },
          body: spec,
        });
        return this.node(id);
      } catch (err) {
        if (attempt >= 3 || !/update out of sequence/.test(engineMessage(err))) throw err;
      }
    }
  }

  /** Remove a node from the swarm's list (`force`: even if it still answers). */
  async removeNode(id: string, force: boolean): Promise<void> {
    assertNodeId(id, "remove node");
    await this.send("remove node", id, { path: `/nodes/${id}?`, method: "DELETE", query: { force } });
  }

  /** How many tasks the swarm still wants running on a node (draining moves them elsewhere). */
  async runningTasksOn(id: string): Promise<number> {
    assertNodeId(id, "list tasks");
    const filters = JSON.stringify({ node: [id], "desired-state": ["running"] });
    const tasks = await this.get<Array<{ Status?: { State?: string } }>>("list tasks", id, "/tasks?", { filters });
    return tasks.filter((t) => t.Status?.State === "running" || t.Status?.State === "starting").length;
  }

  /** The cluster registry's network, secret and services as specified; resolves once this engine signs in to it. */
  ensureRegistry(spec: ClusterRegistrySpec, auth: RegistryAuth, timeoutMs = DEFAULT_REGISTRY_READY_TIMEOUT_MS): Promise<void> {
    return ensureClusterRegistry(this.api, spec, auth, timeoutMs);
  }

  /** The cluster edge (one Caddy per node, see edge-spec.ts) as specified; resolves once its tasks run. */
  ensureEdge(spec: ClusterEdgeSpec, timeoutMs = DEFAULT_EDGE_READY_TIMEOUT_MS): Promise<void> {
    return ensureClusterEdge(this.api, spec, timeoutMs);
  }

  /** Resolves once this engine signs in to the registry (refused credentials fail at once). */
  waitForRegistry(auth: RegistryAuth, timeoutMs = DEFAULT_REGISTRY_READY_TIMEOUT_MS): Promise<void> {
    return waitForRegistry(this.api, auth, timeoutMs);
  }

  /** One sign-in attempt by this engine (POST /auth); refused credentials are INVALID. */
  registryLogin(auth: RegistryAuth): Promise<void> {
    return registryLogin(this.api, auth);
  }

  /** Push an image this engine holds to `target`; returns its digest and `repository@digest`. */
  pushImage(source: string, target: PushTarget, auth: RegistryAuth, timeoutMs = DEFAULT_PUSH_TIMEOUT_MS): Promise<PushedImage> {
    return pushImage(this.api, source, target, auth, timeoutMs);
  }
}
