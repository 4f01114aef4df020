import { describe, expect, it } from "vitest";
import { tabFromParam, tabHref, tabsFor } from "./service-tabs";

describe("service tabs", () => {
  it("opens the tab named in ?tab=, the overview otherwise", () => {
    expect(tabFromParam("settings", "web")).toBe("settings");
    expect(tabFromParam(["logs", "x"], "worker")).toBe("logs");
    expect(tabFromParam(undefined, "web")).toBe("overview");
    expect(tabFromParam("nope", "web")).toBe("overview");
  });

  it("gives domains to web services only", () => {
    expect(tabsFor("web").map((t) => t.id)).toContain("domains");
    expect(tabsFor("worker").map((t) => t.id)).not.toContain("domains");
    expect(tabFromParam("domains", "tcp")).toBe("overview");
  });

  it("gives previews to web services only", () => {
    expect(tabsFor("web").map((t) => t.id)).toContain("previews");
    expect(tabsFor("tcp").map((t) => t.id)).not.toContain("previews");
    expect(tabFromParam("previews", "worker")).toBe("overview");
  });

  it("links the overview to the page itself and other tabs with ?tab=", () => {
    expect(tabHref("abc", "overview")).toBe("/services/abc");
    expect(tabHref("abc", "deployments")).toBe("/services/abc?tab=deployments");
  });
});
