/**
 * The child process that runs one engine over a job's images and reports timings, texts and its
 * peak memory to the benchmark over IPC. Started by `bench/lib/child.ts`; not run by hand.
 */
import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import type { ChildMessage, Engine, EngineJob, EngineName, EngineRunResult, ImageMeasurement } from './engine.js'

/** Loads only the engine asked for, so no other engine's libraries count towards this process's memory. */
async function createEngine(name: EngineName): Promise<Engine> {
  switch (name) {
    case 'scrawl':
      return (await import('./scrawl.js')).createScrawlEngine()
    case 'tesseract':
      return (await import('./tesseract.js')).createTesseractEngine()
    case 'paddle':
      return (await import('./paddle.js')).createPaddleEngine()
    case 'baseline':
      return { description: 'the runner process alone (Node with tsx)', read: async () => ({ text: '' }), close: async () => {} }
  }
}

const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve, reject) => process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())))

const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

/** Runs a job: warm-up readings, then timed ones, image by image. */
async function runJob(job: EngineJob): Promise<EngineRunResult> {
  const startedAt = performance.now()
  const engine = await createEngine(job.engine)
  const startMs = performance.now() - startedAt
  const images: ImageMeasurement[] = []
  let childPeakRssKiB = 0
  for (const [imageIndex, image] of job.images.entries()) {
    const bytes = readFileSync(image.path)
    const measurement: ImageMeasurement = { name: image.name, text: '', latencyMs: [], cpuMs: [], decodeFloorMs: [], stagesMs: {} }
    let text: string | undefined
    try {
      for (let run = 0; run < job.warmupRuns + job.runs; run++) {
        const timed = run >= job.warmupRuns
        if (timed)
          await send({
            type: 'progress',
            image: image.name,
            imageIndex,
            imageCount: job.images.length,
            run: run - job.warmupRuns + 1,
            runsPerImage: job.runs,
          })
        if (job.measureDecodeFloor) {
          const floorStart = performance.now()
          await sharp(bytes).raw().toBuffer()
          if (timed) measurement.decodeFloorMs.push(performance.now() - floorStart)
        }
        const cpuStart = process.cpuUsage()
        const wallStart = performance.now()
        const reading = await engine.read({ path: image.path, bytes })
        const wall = performance.now() - wallStart
        const cpu = reading.childCpuMs ?? cpuMsSince(cpuStart)
        text ??= reading.text
        childPeakRssKiB = Math.max(childPeakRssKiB, reading.childPeakRssKiB ?? 0)
        if (!timed) continue
        measurement.latencyMs.push(wall)
        measurement.cpuMs.push(cpu)
        for (const [stage, ms] of Object.entries(reading.stagesMs ?? {})) (measurement.stagesMs[stage] ??= []).push(ms)
      }
      images.push({ ...measurement, text: text ?? '' })
    } catch (error) {
      images.push({ ...measurement, text: text ?? '', error: (error as Error).message.split('\n')[0] })
    }
  }
  await engine.close()
  // An engine that reads in other processes (the Tesseract CLI) reports their peak; otherwise it
  // is this process's own.
  const peakRssKiB = childPeakRssKiB > 0 ? childPeakRssKiB : process.resourceUsage().maxRSS
  return { engine: job.engine, description: engine.description, startMs, images, peakRssKiB }
}

process.once('message', (job: EngineJob) => {
  runJob(job).then(
    async (result) => {
      await send({ type: 'result', result })
      process.disconnect()
    },
    async (error: Error) => {
      await send({ type: 'failed', message: error.stack ?? error.message })
      process.disconnect()
    },
  )
})
