/** Where clamd listens, and how long it may stay silent. */
export interface ClamdSettings {
  target: { socketPath: string } | { host: string; port: number };
  timeoutMs: number;
}

export interface ScannerSettings {
  /** Absent: no ClamAV; the built-in checks alone decide. */
  clamd?: ClamdSettings;
  /** The ffprobe binary the duration check runs. */
  ffprobe: string;
  /** A setting that could not be understood: the probe fails with it, and so does every scan. */
  problem?: string;
}

export const defaultClamdPort = 3310;
export const defaultClamdTimeoutMs = 30_000;

/**
 * Reads the scanner's settings from `env`:
 * - CLAMD_SOCKET: clamd's unix socket (wins over CLAMD_HOST when both are set);
 * - CLAMD_HOST, CLAMD_PORT (default 3310): clamd over TCP;
 * - CLAMD_TIMEOUT_MS (default 30000): the longest clamd may go without answering;
 * - FFPROBE_PATH (default `ffprobe` from PATH).
 */
export function readScannerSettings(env: Record<string, string | undefined>): ScannerSettings {
  const ffprobe = env.FFPROBE_PATH || 'ffprobe';
  const socketPath = env.CLAMD_SOCKET?.trim();
  const host = env.CLAMD_HOST?.trim();
  if (!socketPath && !host) return { ffprobe };
  const port = integerSetting(env, 'CLAMD_PORT', defaultClamdPort, 1, 65_535);
  const timeoutMs = integerSetting(env, 'CLAMD_TIMEOUT_MS', defaultClamdTimeoutMs, 1, 3_600_000);
  if (typeof port === 'string') return { ffprobe, problem: port };
  if (typeof timeoutMs === 'string') return { ffprobe, problem: timeoutMs };
  return { ffprobe, clamd: { target: socketPath ? { socketPath } : { host: host!, port }, timeoutMs } };
}

/** The setting's value, or the problem with it as a sentence. */
function integerSetting(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number | string {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  return Number.isInteger(value) && value >= min && value <= max ? value : `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`;
}

export function describeClamd(settings: ClamdSettings): string {
  return 'socketPath' in settings.target ? `clamd at ${settings.target.socketPath}` : `clamd at ${settings.target.host}:${settings.target.port}`;
}
