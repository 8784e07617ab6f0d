// The process entry point.

import { main } from './cli.js';

await main();
