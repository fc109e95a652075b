// Runs the collector's own Sampler on this host and prints one JSON sample per whole second.
import { Sampler } from '../../src/collector/sampler';
import { everyWholeSecond } from '../../src/collector/ticker';

const seconds = Number(process.argv[2] ?? 30);
const sampler = new Sampler({ host: 'device' });
await sampler.start();
await Promise.race([sampler.gpus.nextRound(), new Promise((r) => setTimeout(r, 3000))]);
let n = 0;
const ticker = everyWholeSecond(async (at) => {
  const s = await sampler.sample(at);
  process.stdout.write(JSON.stringify({ wall: Date.now(), sample: s }) + '\n');
  if (++n >= seconds) {
    ticker.stop();
    sampler.gpus.stop();
    process.exit(0);
  }
});
