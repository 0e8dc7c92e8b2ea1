/**
 * The files under deploy/: every Kubernetes manifest validates against the Kubernetes schemas
 * (kubernetes-models), deploy/compose.yaml against the Compose specification's schema, and the
 * numbers in them agree with each other and with the service's own defaults.
 */
import { Ajv } from 'ajv'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { configSchema } from '../../src/server/config.js'
import { repoRoot } from '../helpers/data.js'

const KUBERNETES_DIR = join(repoRoot, 'deploy', 'kubernetes')
const defaults = configSchema.parse({})

/** A Kubernetes object as parsed from YAML; only the fields the checks read are typed. */
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec: any }

/** Every YAML document in a file, as plain objects; YAML syntax errors throw. */
function readYaml(path: string): any[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((e) => e.message).join('; ')}`)
    return document.toJS()
  })
}

const manifests: { file: string; manifest: Manifest }[] = readdirSync(KUBERNETES_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()
  .flatMap((file) => readYaml(join(KUBERNETES_DIR, file)).map((manifest: Manifest) => ({ file, manifest })))

/**
 * The kubernetes-models class for an `apiVersion` and `kind`: `apps/v1` is the module
 * `kubernetes-models/apps/v1`, the core group's `v1` is `kubernetes-models/v1`.
 */
async function modelFor(apiVersion: string, kind: string): Promise<(new (data: unknown) => { validate(): void }) | undefined> {
  const module = await import(`kubernetes-models/${apiVersion}`).catch(() => undefined)
  return module?.[kind]
}

function only(kind: string): Manifest {
  const found = manifests.filter((m) => m.manifest.kind === kind)
  if (found.length !== 1) throw new Error(`expected one ${kind} in deploy/kubernetes/, found ${found.length}`)
  return found[0].manifest
}

t.test('every Kubernetes manifest validates against its schema', async (t) => {
  t.same(
    [...new Set(manifests.map((m) => m.manifest.kind))].sort(),
    ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service'],
    'the four kinds, one file each',
  )
  for (const { file, manifest } of manifests) {
    const Model = await modelFor(manifest.apiVersion, manifest.kind)
    if (!Model) {
      t.fail(`${file}: no schema for ${manifest.apiVersion} ${manifest.kind}`)
      continue
    }
    t.doesNotThrow(() => new Model(manifest).validate(), `${file}: ${manifest.apiVersion} ${manifest.kind} is valid`)
  }
})

t.test('the schema check catches a broken manifest', async (t) => {
  const deployment = structuredClone(only('Deployment'))
  delete deployment.spec.selector
  deployment.spec.template.spec.containers[0].resources.limits.cpu = { cores: 2 }
  const Model = (await modelFor('apps/v1', 'Deployment'))!
  t.throws(() => new Model(deployment).validate(), /must have required property selector|cpu must be/)
})

t.test('Deployment: probes, non-root, read-only root, resources from WORKERS × ORT_THREADS, drained stops', async (t) => {
  const deployment = only('Deployment')
  const pod = deployment.spec.template.spec
  t.equal(pod.containers.length, 1)
  const container = pod.containers[0]
  const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]))
  t.same(
    Object.keys(env).filter((name) => !(name in configSchema.shape)),
    [],
    'every variable is one the service reads',
  )
  t.doesNotThrow(() => configSchema.parse(env), 'and each value is valid')
  const config = configSchema.parse(env)

  t.same(container.readinessProbe.httpGet, { path: '/readyz', port: 'http' }, 'readiness is /readyz')
  t.same(container.livenessProbe.httpGet, { path: '/healthz', port: 'http' }, 'liveness is /healthz')
  t.same(container.ports, [{ name: 'http', containerPort: config.PORT }], 'the named port is the one the service listens on')

  t.equal(pod.securityContext.runAsNonRoot, true)
  t.not(pod.securityContext.runAsUser, 0)
  t.equal(container.securityContext.readOnlyRootFilesystem, true)
  t.equal(container.securityContext.allowPrivilegeEscalation, false)
  t.same(container.securityContext.capabilities.drop, ['ALL'])
  t.equal(container.volumeMounts, undefined, 'nothing writable mounted: the service writes no files')

  const cpus = Number(env.WORKERS) * config.ORT_THREADS
  t.ok(Number.isInteger(cpus) && cpus > 0, 'WORKERS is set explicitly')
  t.equal(Number(container.resources.requests.cpu), cpus, 'CPU request = WORKERS × ORT_THREADS')
  t.equal(Number(container.resources.limits.cpu), cpus, 'CPU limit = WORKERS × ORT_THREADS')

  const preStopSeconds = Number(container.lifecycle.preStop.exec.command[1])
  t.same(container.lifecycle.preStop.exec.command, ['sleep', String(preStopSeconds)], 'preStop sleeps while the endpoints update')
  t.ok(preStopSeconds > 0)
  t.ok(
    pod.terminationGracePeriodSeconds * 1000 > preStopSeconds * 1000 + config.SHUTDOWN_GRACE_MS,
    'terminationGracePeriodSeconds covers preStop and SHUTDOWN_GRACE_MS',
  )
  t.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0, 'a rollout never lowers capacity')
  t.equal(deployment.spec.replicas, undefined, 'the autoscaler owns the replica count')
})

t.test('Service, autoscaler and disruption budget point at the Deployment', async (t) => {
  const deployment = only('Deployment')
  const labels = deployment.spec.template.metadata.labels
  t.same(deployment.spec.selector.matchLabels, labels, "the Deployment's selector matches its pods")
  const service = only('Service')
  t.same(service.spec.selector, labels, "the Service selects the Deployment's pods")
  t.same(
    service.spec.ports.map((p: { targetPort: string }) => p.targetPort),
    ['http'],
  )
  const pdb = only('PodDisruptionBudget')
  t.same(pdb.spec.selector.matchLabels, labels, "the budget covers the Deployment's pods")
  const hpa = only('HorizontalPodAutoscaler')
  t.same(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name })
  t.ok(hpa.spec.minReplicas >= 2, 'at least two pods, so that the budget allows a drain without an outage')
  t.same(
    hpa.spec.metrics.map((m: { resource: { name: string } }) => m.resource.name),
    ['cpu'],
  )
})

t.test('compose.yaml validates against the Compose specification and agrees with the image and the gateway', async (t) => {
  // dclint (a Compose linter) ships the Compose specification's JSON schema; only the schema is used here.
  const dclint = dirname(createRequire(import.meta.url).resolve('dclint/package.json'))
  const schema = JSON.parse(readFileSync(join(dclint, 'schemas', 'compose.schema.json'), 'utf8'))
  // It names draft-07 by its https address; ajv knows the draft by its http one. The draft is the same.
  delete schema.$schema
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false })
  const validate = ajv.compile(schema)
  const [compose] = readYaml(join(repoRoot, 'deploy', 'compose.yaml'))
  t.ok(validate(compose), `valid: ${ajv.errorsText(validate.errors)}`)
  t.notOk(validate({ services: { scrawl: { image: 'x', stop_grace_periode: '15s' } } }), 'and the schema catches a misspelt key')

  const replica = compose.services.scrawl
  const gateway = compose.services.gateway
  t.ok(replica.deploy.replicas >= 2, 'several replicas')
  t.doesNotThrow(() => configSchema.parse(replica.environment), 'every variable of the replicas is valid')
  t.equal(
    Number(replica.deploy.resources.limits.cpus),
    Number(replica.environment.WORKERS) * Number(replica.environment.ORT_THREADS ?? 1),
    'CPU limit = WORKERS × ORT_THREADS',
  )
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
  const imageCheck = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)?.[1]
  t.same(replica.healthcheck.test, ['CMD', ...JSON.parse(imageCheck ?? 'null')], "the health check is the image's")
  t.ok(Number.parseInt(replica.stop_grace_period) * 1000 > defaults.SHUTDOWN_GRACE_MS, 'stop_grace_period > SHUTDOWN_GRACE_MS')
  t.same(gateway.depends_on, { scrawl: { condition: 'service_healthy' } })
  const template = readFileSync(join(repoRoot, 'deploy', 'nginx', 'scrawl.conf'), 'utf8')
  const placeholders = [...new Set([...template.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort()
  t.same(placeholders, ['SCRAWL_LISTEN', 'SCRAWL_UPSTREAM_SERVERS'])
  t.same(
    placeholders.filter((name) => !(name in gateway.environment)),
    [],
    'the gateway gets every name the template needs',
  )
  t.ok(gateway.volumes.includes('./nginx/scrawl.conf:/etc/nginx/templates/default.conf.template:ro'), 'and the template itself')
})
