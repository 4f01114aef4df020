/** How the backups panels show sizes and times (in the instance's time zone). */
export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
export const formatTime = (d: Date | string, timeZone: string) =>
  new Date(d).toLocaleString(undefined, { timeZone, dateStyle: "medium", timeStyle: "medium" });
