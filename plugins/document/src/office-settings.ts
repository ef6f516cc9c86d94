import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Read once, when the module loads. The host (and the conformance suite) points TMPDIR into a
 * job folder while a conversion runs, and a listener started lazily then must not put its
 * profile, its temporary files or a conversion's scratch files there.
 */
const systemTemporaryDirectory = tmpdir();

export interface OfficeSettings {
  /** soffice.bin, started directly so that the pool owns the process that does the work. */
  sofficeBinary: string;
  /** The unoconv script, run with `python` (which must be able to `import uno`). */
  unoconvScript: string;
  python: string;
  /** Where each listener's profile directory is made. */
  profileRoot: string;
  /** Where a conversion's input copy and output are made before the output is moved into place. */
  scratchRoot: string;
  /** The temporary directory LibreOffice and unoconv are given. */
  temporaryDirectory: string;
  poolSize: number;
}

const defaultPoolSize = 2;

function poolSizeFrom(value: string | undefined): number {
  const size = value === undefined || value.trim() === '' ? defaultPoolSize : Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 16) {
    throw new Error(`CONVEYOR_OFFICE_POOL_SIZE must be an integer from 1 to 16, got ${JSON.stringify(value)}`);
  }
  return size;
}

/** soffice.bin beside the usual `soffice` launcher, unless CONVEYOR_SOFFICE_BIN names one. */
function sofficeBinaryFrom(env: NodeJS.ProcessEnv): string {
  if (env.CONVEYOR_SOFFICE_BIN) return env.CONVEYOR_SOFFICE_BIN;
  const candidates = ['/usr/lib/libreoffice/program/soffice.bin', '/opt/libreoffice/program/soffice.bin', '/usr/lib64/libreoffice/program/soffice.bin'];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

const settingsAtLoad = readSettings(process.env);

export function readSettings(env: NodeJS.ProcessEnv): OfficeSettings {
  const base = env.CONVEYOR_OFFICE_PROFILE_DIR ?? join(systemTemporaryDirectory, 'conveyor-office');
  return {
    sofficeBinary: sofficeBinaryFrom(env),
    unoconvScript: env.CONVEYOR_UNOCONV_PATH ?? '/usr/bin/unoconv',
    // Not `python3` from PATH: a pyenv or venv python has no `uno` module; Debian's has.
    python: env.CONVEYOR_UNOCONV_PYTHON ?? '/usr/bin/python3',
    profileRoot: base,
    scratchRoot: join(base, 'scratch'),
    temporaryDirectory: systemTemporaryDirectory,
    poolSize: poolSizeFrom(env.CONVEYOR_OFFICE_POOL_SIZE),
  };
}

/** The settings as they were when the module loaded. */
export function officeSettings(): OfficeSettings {
  return settingsAtLoad;
}

/**
 * The environment LibreOffice and unoconv run in: the host's, with the temporary directory put
 * back to the system's (never a job folder).
 */
export function officeEnvironment(settings: OfficeSettings): NodeJS.ProcessEnv {
  const { temporaryDirectory } = settings;
  return { ...process.env, TMPDIR: temporaryDirectory, TMP: temporaryDirectory, TEMP: temporaryDirectory };
}
