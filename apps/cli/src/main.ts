#!/usr/bin/env node
import { loadConfig } from '@conveyor/core';
import { runConvert } from './commands/convert.js';
import { runFormats } from './commands/formats.js';
import { runMigrate } from './commands/migrate.js';
import { runReplay } from './commands/replay.js';
import { runServe } from './commands/serve.js';

const usage = `conveyor <command>

  start     API, every consumer and every converter in one process (embedded defaults)
  api       HTTP ingress with the deciders, process manager and projector
  worker    converter consumers for every plugin that can run here
  migrate   bring the database schema up to date
  replay    rebuild every read model from the event log
  formats   print what this machine converts: the direct pairs of every plugin whose probe passes
  convert   convert a file through a running Conveyor: conveyor convert photo.heic --to jpeg
            (conveyor convert --help for its options)

Configuration is read from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${usage}\n`);
    return command ? 0 : 1;
  }
  // A client of a running service: it needs none of the service's configuration.
  if (command === 'convert') return runConvert(argv.slice(1));
  const config = loadConfig();
  switch (command) {
    case 'start':
      return runServe(config, { ingress: true, coordinators: true, converters: true });
    case 'api':
      return runServe(config, { ingress: true, coordinators: true, converters: false });
    case 'worker':
      return runServe(config, { ingress: false, coordinators: false, converters: true });
    case 'migrate':
      return runMigrate(config);
    case 'replay':
      return runReplay(config);
    case 'formats':
      return runFormats(config);
    default:
      process.stderr.write(`unknown command "${command}"\n\n${usage}\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`conveyor: ${error.message}\n`);
    process.exitCode = 1;
  },
);
