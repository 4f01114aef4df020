import { describe, expect, it } from "vitest";
import { stackProblems } from "./stack-errors";

describe("stack problems from field errors", () => {
  it("splits service and key, keeps file-level problems without a service, ignores other fields", () => {
    expect(
      stackProblems({
        "compose.web.privileged": "Refused",
        "compose.db.deploy.resources.limits.memory": "bad size",
        "compose.secrets": "Not supported",
        "compose.volumes.data.driver": "Not supported",
        name: "taken",
      }),
    ).toEqual([
      { service: "web", key: "privileged", message: "Refused" },
      { service: "db", key: "deploy.resources.limits.memory", message: "bad size" },
      { service: null, key: "secrets", message: "Not supported" },
      { service: null, key: "volumes.data.driver", message: "Not supported" },
    ]);
  });

  it("recognises a service name with a dot when it is known", () => {
    expect(stackProblems({ "compose.my.app.user": "Not supported" }, ["my.app"])).toEqual([
      { service: "my.app", key: "user", message: "Not supported" },
    ]);
  });
});
