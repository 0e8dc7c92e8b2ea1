import { InProcessRecognition, type RecognitionService } from './recognition.js'
import type { ServiceConfig } from './config.js'
import { Recognizer } from '../recognize.js'

/** The recognition service the server runs with this configuration. */
export async function createRecognitionService(config: ServiceConfig): Promise<RecognitionService> {
  return new InProcessRecognition(new Recognizer({ intraOpNumThreads: config.ortThreads }))
}
