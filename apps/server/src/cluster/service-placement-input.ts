/**
 * Where a service runs: on Berth's own server (the default) or on the cluster, with Swarm
 * placement constraints. A constraint is typed as Swarm writes it: `node.labels.KEY==VALUE`,
 * `node.hostname==NAME` or `node.role==manager|worker` (`!=` too); label keys and values follow
 * the node label rules (cluster-input.ts). Every bad value is an issue at `constraints.N`. PURE.
 */
import { z } from "zod";
import { labelKey, labelValue } from "./cluster-input.ts";

const CONSTRAINT = /^node\.(labels\.(?<key>[^=!]+)|(?<attr>hostname|role))(?<op>==|!=)(?<value>.*)$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$/;

/** The problem with one constraint, or null. */
export function constraintProblem(text: string): string | null {
  const m = CONSTRAINT.exec(text);
  if (!m?.groups) return "Write node.labels.KEY==VALUE, node.hostname==NAME or node.role==manager (or != instead of ==)";
  const { key, attr, value = "" } = m.groups;
  if (key !== undefined) {
    const k = labelKey.safeParse(key);
    if (!k.success || k.data !== key) return `Label key: ${k.success ? "no spaces around it" : k.error.issues[0]?.message}`;
    const v = labelValue.safeParse(value);
    if (!v.success || v.data !== value || value === "")
      return `Label value: ${v.success ? "a value is required" : v.error.issues[0]?.message}`;
    return null;
  }
  if (attr === "role") return value === "manager" || value === "worker" ? null : "node.role is manager or worker";
  return HOSTNAME.test(value) ? null : "A host name: letters, digits, dots and dashes";
}

export const servicePlacementInput = z.object({
  placement: z.enum(["server", "cluster"]),
  /** placement `server`: a standalone remote server's id; null (the default) is Berth's own engine. */
  serverId: z.string().uuid("Pick a server from the list").nullable().default(null),
  constraints: z
    .array(z.string().trim())
    .max(16, "At most 16 constraints")
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((c, i) => {
        const problem = constraintProblem(c);
        if (problem) ctx.addIssue({ code: "custom", path: [i], message: problem });
        else if (seen.has(c)) ctx.addIssue({ code: "custom", path: [i], message: "Listed twice" });
        seen.add(c);
      });
    }),
});

/** As callers pass it (serverId and constraints may be left out). */
export type ServicePlacementInput = z.input<typeof servicePlacementInput>;
