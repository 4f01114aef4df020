import { describe, expect, it } from "vitest";
import { registryProblem } from "./registry-problem.ts";

describe("why a registry could not be asked", () => {
  it("says it in words, without the resolver's address", () => {
    expect(
      registryProblem('Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host'),
    ).toBe("registry-1.docker.io could not be found (this host's DNS has no answer for it; is the host offline?)");
    expect(registryProblem('Get "https://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused')).toBe(
      "127.0.0.1:5999 refused the connection",
    );
    expect(
      registryProblem('Get "http://127.0.0.1:34971/v2/": read tcp 127.0.0.1:45360->127.0.0.1:34971: read: connection reset by peer'),
    ).toBe("127.0.0.1:34971 closed the connection (is it a registry?)");
    expect(registryProblem("the pull did not finish within 20 s")).toBe("the registry did not answer in time");
    expect(registryProblem("x509: certificate signed by unknown authority")).toMatch(/TLS certificate is not trusted/);
    expect(registryProblem("something else")).toBe("something else");
  });
});
