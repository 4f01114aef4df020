import { ServerResponse, IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { markCookiesSecure, withSecure } from "./secure-cookies.ts";

describe("secure cookies", () => {
  it("adds Secure once", () => {
    expect(withSecure("berth.session_token=abc; Path=/; HttpOnly; SameSite=Lax")).toBe(
      "berth.session_token=abc; Path=/; HttpOnly; SameSite=Lax; Secure",
    );
    expect(withSecure("a=b; Secure; HttpOnly")).toBe("a=b; Secure; HttpOnly");
    expect(withSecure("a=b; HttpOnly; secure")).toBe("a=b; HttpOnly; secure");
    // A value that merely contains the word is not the attribute.
    expect(withSecure("secure=1; Path=/")).toBe("secure=1; Path=/; Secure");
  });

  it("marks every Set-Cookie of a response, and leaves other headers alone", () => {
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    markCookiesSecure(res);
    res.setHeader("Set-Cookie", ["a=1; Path=/", "b=2; HttpOnly"]);
    res.setHeader("content-type", "application/json");
    expect(res.getHeader("set-cookie")).toEqual(["a=1; Path=/; Secure", "b=2; HttpOnly; Secure"]);
    expect(res.getHeader("content-type")).toBe("application/json");
  });
});
