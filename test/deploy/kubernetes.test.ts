import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '@conveyor/core';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readSettings } from '../../plugins/document/src/office-settings.js';

// No cluster runs here: these checks hold the manifests to what the code reads, so that a
// renamed variable, a role or a port that no longer exists fails here rather than in a rollout.

const folder = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const cliPath = fileURLToPath(new URL('../../apps/cli/dist/main.js', import.meta.url));

/** Values the operator puts in the conveyor-secrets Secret (kustomization.yaml says which). */
const secretValues: Record<string, string> = {
  DATABASE_URL: 'postgres://conveyor:secret@postgres:5432/conveyor',
  SESSION_SECRET: 'a'.repeat(64),
  S3_ACCESS_KEY_ID: 'conveyor',
  S3_SECRET_ACCESS_KEY: 'conveyor-secret',
};

type Manifest = { kind: string; metadata: { name: string }; spec: any; data?: Record<string, string> };

async function manifests(): Promise<{ listed: string[]; files: string[]; objects: Manifest[] }> {
  const kustomization = (parseAllDocuments(await readFile(`${folder}kustomization.yaml`, 'utf8'))[0]!.toJS() as { resources: string[] });
  const objects: Manifest[] = [];
  for (const resource of kustomization.resources) {
    for (const document of parseAllDocuments(await readFile(`${folder}${resource}`, 'utf8'))) {
      expect(document.errors, resource).toEqual([]);
      objects.push(document.toJS() as Manifest);
    }
  }
  const files = (await readdir(folder)).filter((name) => name !== 'kustomization.yaml');
  return { listed: kustomization.resources, files, objects };
}

/** Each pod template's container with the environment it would see. */
function containers(objects: Manifest[]) {
  const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'conveyor')!;
  return objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
    .flatMap((workload) =>
      (workload.spec.template.spec.containers as any[]).map((container) => {
        const env: Record<string, string> = {};
        for (const source of container.envFrom ?? []) {
          if (source.configMapRef) Object.assign(env, objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === source.configMapRef.name)!.data);
          if (source.secretRef?.name === 'conveyor-secrets') Object.assign(env, secretValues);
        }
        for (const variable of container.env ?? []) env[variable.name] = variable.value;
        return { workload, container, env, configMap };
      }),
    );
}

describe('the Kubernetes manifests (deploy/kubernetes)', () => {
  it('are all listed in the kustomization, and parse', async () => {
    const { listed, files, objects } = await manifests();
    expect([...listed].sort()).toEqual([...files].sort());
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual(
      ['ConfigMap/conveyor', 'Deployment/conveyor-api', 'Deployment/conveyor-worker', 'Job/conveyor-migrate', 'Service/conveyor-api'].sort(),
    );
  });

  it('give every process a configuration Conveyor accepts: JetStream, PostgreSQL and S3, listening on the port it exposes', async () => {
    const { objects } = await manifests();
    for (const { workload, container, env } of containers(objects)) {
      const config = loadConfig(env);
      expect(config.eventLog.kind, workload.metadata.name).toBe('jetstream');
      expect(config.database.kind).toBe('postgres');
      expect(config.blobs.kind).toBe('s3');
      expect(config.http.host).toBe('0.0.0.0');
      const ports = Object.fromEntries((container.ports ?? []).map((port: { name: string; containerPort: number }) => [port.name, port.containerPort]));
      if (ports.http !== undefined) expect(ports.http).toBe(config.http.port);
      if (ports.metrics !== undefined) expect(ports.metrics).toBe(config.http.metricsPort);
      // A scraper finds each pod's metrics where the process serves them.
      const annotations = workload.spec.template.metadata.annotations ?? {};
      if (workload.kind === 'Deployment') {
        expect(annotations['prometheus.io/path'], workload.metadata.name).toBe('/metrics');
        expect(Number(annotations['prometheus.io/port'])).toBe(config.http.metricsPort ?? config.http.port);
      }
      expect(container.image).toBe('conveyor:latest');
    }
  });

  it('run roles the conveyor command has: api, worker and migrate', async () => {
    const { objects } = await manifests();
    const { stdout } = await promisify(execFile)(process.execPath, [cliPath, 'help']);
    const commands = stdout.split('\n').map((line) => /^ {2}(\w+) /.exec(line)?.[1]).filter(Boolean);
    const roles = containers(objects).map(({ container }) => container.args[0]);
    expect(roles.sort()).toEqual(['api', 'migrate', 'worker']);
    for (const role of roles) expect(commands).toContain(role);
  });

  it('route traffic only to ready api pods, on the health route, and select their own pods', async () => {
    const { objects } = await manifests();
    const api = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'conveyor-api')!;
    const container = api.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
    // Liveness must not follow a dependency's outage (health answers 503 then).
    expect(container.livenessProbe.httpGet).toBeUndefined();
    const service = objects.find((object) => object.kind === 'Service')!;
    expect(container.ports.map((port: { name: string }) => port.name)).toContain(service.spec.ports[0].targetPort);
    expect(service.spec.selector).toEqual(api.spec.template.metadata.labels);
    for (const workload of objects.filter((object) => object.kind === 'Deployment')) {
      expect(workload.spec.selector.matchLabels, workload.metadata.name).toEqual(workload.spec.template.metadata.labels);
    }
  });

  it("size the worker's LibreOffice pool with a value the document plugin takes", async () => {
    const { objects } = await manifests();
    const worker = containers(objects).find(({ workload }) => workload.metadata.name === 'conveyor-worker')!;
    expect(readSettings(worker.env).poolSize).toBe(Number(worker.env.CONVEYOR_OFFICE_POOL_SIZE));
  });
});
