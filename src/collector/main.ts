/**
 * `npm run collector -- --server URL [--key KEY] [--host NAME]` (or `cvsm-collector`):
 * streams this host's CPU, memory, disk, network and GPUs to a CV Studio Monitor server
 * at 1 Hz until stopped.
 */
import { parseArgs } from 'node:util';
import { EnvError } from '../lib/envParsing';
import { createLogger } from '../lib/logger';
import { Collector } from './collector';
import { collectorEnv } from './env';
import { envLabelPairs, parseLabels } from './labels';
import { PHASE_SPAN_MS } from './ticker';

const USAGE = `usage: cvsm-collector --server http://<server>:8000 [--key KEY] [--host NAME] [--label name=value]...

  --server URL         the CV Studio Monitor server (required)
  --key KEY            API key, if the server asks for one (or env CVSM_API_KEY)
  --host NAME          the name this host is shown under (default: its hostname)
  --label name=value   a label carried with the host, to filter by (repeatable; or env
                       CVSM_LABELS="rack=a3,zone=b")
  --phase MS           when in each second to sample, 0 to ${PHASE_SPAN_MS - 1} (default: fixed by the host
                       name, so that a fleet's reports spread over the second)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      key: { type: 'string' },
      host: { type: 'string' },
      label: { type: 'string', multiple: true },
      phase: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.server || !URL.canParse(values.server)) {
    console.error(values.server ? `not a URL: ${values.server}\n\n${USAGE}` : USAGE);
    process.exit(2);
  }
  const phaseMs = values.phase === undefined ? undefined : Number(values.phase);
  if (phaseMs !== undefined && !(Number.isInteger(phaseMs) && phaseMs >= 0 && phaseMs < PHASE_SPAN_MS)) {
    console.error(`--phase must be a whole number of ms from 0 to ${PHASE_SPAN_MS - 1}, not ${values.phase}\n\n${USAGE}`);
    process.exit(2);
  }
  const config = collectorEnv();
  const log = createLogger(config.LOG_LEVEL, 'collector');
  let labels: Record<string, string>;
  try {
    labels = parseLabels([...envLabelPairs(config.CVSM_LABELS), ...(values.label ?? [])]);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const collector = new Collector({
    server: values.server,
    apiKey: values.key ?? config.CVSM_API_KEY,
    host: values.host,
    labels,
    phaseMs,
    onError: (error) => log.warn('collector', { error: error.message }),
  });
  await collector.start();
  log.info(`sampling ${collector.sampler.host} every second (${collector.phaseMs} ms in), sending to ${values.server}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`, { buffered: collector.sender.buffered });
    await collector.stop({ flush: true, flushTimeoutMs: 3000 });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
