/**
 * Runs one engine's job in a child process of its own (`bench/engines/run-engine.ts` under tsx)
 * and relays its progress, so each engine's peak memory is measured alone.
 */
import { fork } from 'node:child_process'
import { join } from 'node:path'
import type { ChildMessage, EngineJob, EngineRunResult } from '../engines/engine.js'
import { repoRoot } from './data.js'
import type { Progress } from './progress.js'

const RUNNER = join(repoRoot, 'bench', 'engines', 'run-engine.ts')

/**
 * Runs `job` in a fresh child process.
 *
 * @param progress shows which image and run the child is at
 * @returns the child's timings, texts and peak memory
 */
export function runEngineJob(job: EngineJob, progress: Progress): Promise<EngineRunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(RUNNER, [], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx'],
      // The child's stdout would mix into the report: send it to stderr with the progress.
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    child.stdout?.pipe(process.stderr)
    let result: EngineRunResult | undefined
    let failure: string | undefined
    const totalRuns = job.images.length * job.runs
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') {
        progress.update(
          `${job.engine} · ${message.image} · run ${message.run}/${message.runsPerImage}`,
          message.imageIndex * message.runsPerImage + message.run - 1,
          totalRuns,
        )
      } else if (message.type === 'result') {
        result = message.result
      } else {
        failure = message.message
      }
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      if (result) resolve(result)
      else reject(new Error(`${job.engine} runner ended (${signal ?? `exit ${code}`}) without a result${failure ? `:\n${failure}` : ''}`))
    })
    child.send(job)
  })
}
