/** Team roles, lowest first, mirroring the server's order (the server decides; the UI only hides). */
export const ROLES = ["viewer", "member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

export function roleAtLeast(role: Role | undefined, min: Role): boolean {
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(min);
}

export const ROLE_HINTS: Record<Role, string> = {
  viewer: "Sees projects, services, deployments and logs; changes nothing.",
  member: "Creates, deploys, stops and deletes services.",
  admin: "Also invites and removes members and reads the audit log.",
  owner: "Everything, including transferring the team.",
};
