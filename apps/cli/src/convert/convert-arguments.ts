import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';

/** What `conveyor convert` was asked to do. */
export interface ConvertArguments {
  inputPath: string;
  targetFormat: string;
  preset: string | undefined;
  options: Record<string, unknown>;
  /** Where the result goes; by default the input's name with the target's extension, in the current folder. */
  outputPath: string;
  /** Replace an existing file at `outputPath`. */
  force: boolean;
  serverUrl: string;
  apiKey: string | undefined;
}

/** A command line that cannot be run as given: shown with the usage, exit code 2. */
export class UsageError extends Error {}

export const convertUsage = `conveyor convert <file> --to <format> [options]

  --to <format>          the format to convert to (png, webp, pdf, mp3, json, …)
  --preset <id>          a preset of the conversion (web, high, lossless, pdfa, …)
  --option <name=value>  one option, e.g. --option quality=82 (repeatable; numbers and
                         true/false are sent as such)
  --options <json>       every option as one JSON object, e.g. '{"quality":82}'
  -o, --output <path>    where to write the result (default: <file name>.<format> here;
                         - for standard output)
  --force                replace the output file if it exists
  --server <url>         the Conveyor to use (default: $CONVEYOR_URL, else http://127.0.0.1:8080)

An API key in $CONVEYOR_API_KEY is used when set; otherwise an anonymous session.`;

/** `82` → 82, `true` → true, `"x"` → "x"; anything else stays the text it was. */
function optionValue(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text) || text === 'true' || text === 'false' || text === 'null' || text.startsWith('"') || text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function jsonOptions(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--options is not JSON: ${text}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--options must be a JSON object, e.g. \'{"quality":82}\'');
  return parsed as Record<string, unknown>;
}

/** The input's name with the target's extension: `holiday.png` → `holiday.webp`, as the service names its outputs. */
export function defaultOutputName(inputPath: string, targetFormat: string): string {
  const name = basename(inputPath);
  return `${name.slice(0, name.length - extname(name).length) || 'output'}.${targetFormat}`;
}

/** The arguments, or `'help'` when the usage was asked for. */
export function parseConvertArguments(argv: string[], env: NodeJS.ProcessEnv): ConvertArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        preset: { type: 'string' },
        option: { type: 'string', multiple: true },
        options: { type: 'string' },
        output: { type: 'string', short: 'o' },
        force: { type: 'boolean' },
        server: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the file to convert' : `convert one file at a time (got ${positionals.length})`);
  const targetFormat = values.to?.trim().toLowerCase().replace(/^\./, '');
  if (!targetFormat) throw new UsageError('say what to convert to with --to, e.g. --to webp');
  const options = jsonOptions(values.options);
  for (const pair of values.option ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--option takes name=value, got "${pair}"`);
    options[pair.slice(0, equals)] = optionValue(pair.slice(equals + 1));
  }
  const inputPath = positionals[0]!;
  return {
    inputPath,
    targetFormat,
    preset: values.preset,
    options,
    outputPath: values.output ?? defaultOutputName(inputPath, targetFormat),
    force: values.force ?? false,
    serverUrl: (values.server ?? env.CONVEYOR_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''),
    apiKey: env.CONVEYOR_API_KEY || undefined,
  };
}
