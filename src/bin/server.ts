#!/usr/bin/env node
import { main } from '../server/main.js'

await main()
