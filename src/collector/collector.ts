/**
 * The collector: samples this host once a second, stamped with the whole second, and sends
 * each sample to the server, buffering while the server cannot be reached.
 */
import type { SystemSample } from '../shared/systemSample';
import { Sampler, type SamplerOptions } from './sampler';
import { SampleSender, type SenderOptions } from './sender';
import { everyWholeSecond, phaseForHost, type Ticker } from './ticker';

export interface CollectorOptions extends SamplerOptions, SenderOptions {
  /** Called with each sample as it is taken (logs, tests). */
  onSample?: (sample: SystemSample) => void;
  /** How far into each second the host is sampled, in ms (default: fixed by the host's name, under 900 ms). */
  phaseMs?: number;
}

export class Collector {
  readonly sampler: Sampler;
  readonly sender: SampleSender;
  private ticker: Ticker | null = null;
  /** Samples of one tick are taken in order: a slow tick delays the next, never overlaps it. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: CollectorOptions) {
    this.sampler = new Sampler(options);
    this.sender = new SampleSender(options);
  }

  async start(): Promise<void> {
    await this.sampler.start();
    this.ticker = everyWholeSecond((at) => {
      this.chain = this.chain.then(async () => {
        try {
          const sample = await this.sampler.sample(at);
          this.options.onSample?.(sample);
          this.sender.push(sample);
        } catch (error) {
          this.options.onError?.(error as Error);
        }
      });
    }, this.phaseMs);
  }

  /** How far into each second this host samples and sends. */
  get phaseMs(): number {
    return this.options.phaseMs ?? phaseForHost(this.sampler.host);
  }

  /** Stops sampling; with `flush`, first waits (up to `flushTimeoutMs`) for the buffer to be sent. */
  async stop({ flush = false, flushTimeoutMs = 5000 } = {}): Promise<void> {
    this.ticker?.stop();
    await this.chain;
    this.sampler.stop();
    if (flush) {
      await Promise.race([this.sender.drained(), new Promise((r) => setTimeout(r, flushTimeoutMs).unref())]);
    }
    await this.sender.close();
  }
}
