/**
 * The problems of a refused compose file, from the API's field errors
 * (`compose.<service>.<key>`, or `compose.<key>` for the file's top level). PURE.
 */
export interface StackProblem {
  service: string | null;
  key: string;
  message: string;
}

export function stackProblems(fields: Record<string, string>, serviceNames: readonly string[] = []): StackProblem[] {
  const problems: StackProblem[] = [];
  for (const [field, message] of Object.entries(fields)) {
    if (!field.startsWith("compose.")) continue;
    const rest = field.slice("compose.".length);
    // A service name may contain dots: prefer the longest known service name that prefixes the rest.
    const service = [...serviceNames].sort((a, b) => b.length - a.length).find((name) => rest.startsWith(`${name}.`));
    if (service !== undefined) problems.push({ service, key: rest.slice(service.length + 1), message });
    else {
      const dot = rest.indexOf(".");
      const top = [
        "services",
        "volumes",
        "networks",
        "secrets",
        "configs",
        "include",
        "models",
        "profiles",
        "version",
        "name",
        "(file)",
        "(yaml)",
        "(variables)",
      ];
      if (dot === -1 || top.some((k) => rest === k || rest.startsWith(`${k}.`))) problems.push({ service: null, key: rest, message });
      else problems.push({ service: rest.slice(0, dot), key: rest.slice(dot + 1), message });
    }
  }
  return problems;
}
