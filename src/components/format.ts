/**
 * Number, time and size formatting shared by the pages, for one locale, through Intl. Times
 * are in the browser's own time zone. Client components take it from `useFormat()`.
 */

export interface Format {
  locale: string;
  /** The word for a time that never came ("never" / "从未"). */
  never: string;
  /** 3h 05m, 12m 05s (en); 3小时5分钟 (zh-CN). */
  duration(ms: number | null | undefined): string;
  /** 3 minutes ago / 3分钟前; `never` for no date. */
  ago(date: Date | null | undefined, now: number): string;
  /** Month, day and time: Dec 1, 09:28 PM / 12月1日 21:28. */
  dateTime(date: Date | null | undefined): string;
  /** Date and time in full, seconds included (a chart's tooltip, a key's dates). */
  dateTimeFull(date: Date | number | null | undefined): string;
  /** A wall clock, 24-hour. */
  clock(ms: number, withSeconds?: boolean): string;
  /** A log line's time: 24-hour clock with milliseconds. */
  logTime(date: Date): string;
  /** A metric value: NaN and ±Infinity named, others to 4 significant digits. */
  metric(v: number | null | undefined): string;
  /** A count, grouped as the locale groups digits. */
  count(v: number): string;
  /** Large numbers shortened: 12K / 1.2万. */
  compact(v: number): string;
  /** A value already in percent (0–100). */
  percent(v: number | null | undefined, digits?: number): string;
  /** Bytes per second with a binary prefix. */
  rate(bps: number | null | undefined): string;
  gib(v: number | null | undefined): string;
  /** A number with a fixed count of decimals (load averages). */
  decimal(v: number | null | undefined, digits: number): string;
  /** A number and its unit symbol: 72 °C, 1,410 MHz, 512 MiB. */
  measure(v: number | null | undefined, unit: string, digits?: number): string;
  /** Electrical power: 350 W, or 12.5 kW from a kilowatt on. */
  watts(w: number | null | undefined): string;
  /** A time span as a short preset label: 15m, 7d (en); 15分钟, 7天 (zh-CN). */
  span(ms: number): string;
}

const NONE = '–';
const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

const RATE_UNITS = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];

/** Units and their length, largest first, for relative times. */
/** Units of `span`, largest first. */
const SPAN_UNITS: [string, number][] = [
  ['year', 365 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

const AGO_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

export function createFormat(locale: string, words: { never: string }): Format {
  // Chinese writes durations without spaces or zero padding (3小时5分钟).
  const cjk = locale.startsWith('zh');
  const unit = (u: string) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'narrow', maximumFractionDigits: 0 });
  const units = { day: unit('day'), hour: unit('hour'), minute: unit('minute'), second: unit('second') };
  const padded = (u: keyof typeof units, v: number) =>
    cjk ? units[u].format(v) : units[u].format(v).replace(/^\d+/, (d) => d.padStart(2, '0'));
  // Chinese UIs write 12秒前 (the short style), English "12 seconds ago" (the long one).
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: cjk ? 'short' : 'long' });
  const shortDateTime = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const fullDateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' });
  const clockFmt = (seconds: boolean) =>
    new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
  const clockS = clockFmt(true);
  const clockM = clockFmt(false);
  const logClock = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hourCycle: 'h23',
  });
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const compactFmt = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  // One formatter per digit count: building an Intl.NumberFormat costs more than formatting
  // with one, and the fleet table formats a few hundred numbers a second.
  const fixedFmts = new Map<number, Intl.NumberFormat>();
  const fixed = (v: number, digits: number) => {
    let f = fixedFmts.get(digits);
    if (!f)
      fixedFmts.set(
        digits,
        (f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })),
      );
    return f.format(v);
  };
  const join = (a: string, b: string) => (cjk ? `${a}${b}` : `${a} ${b}`);

  const duration = (ms: number | null | undefined): string => {
    if (!finite(ms) || ms < 0) return NONE;
    const s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86_400);
    const h = Math.floor((s % 86_400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    if (d > 0) return join(units.day.format(d), units.hour.format(h));
    if (h > 0) return join(units.hour.format(h), padded('minute', m));
    if (m > 0) return join(units.minute.format(m), padded('second', sec));
    return units.second.format(sec);
  };

  return {
    locale,
    never: words.never,
    duration,
    ago(date, now) {
      if (!date) return words.never;
      const ms = Math.max(0, now - date.getTime());
      if (ms < 2000) return relative.format(0, 'second');
      const [u, size] = AGO_UNITS.find(([, size]) => ms >= size) ?? AGO_UNITS[AGO_UNITS.length - 1]!;
      return relative.format(-Math.floor(ms / size), u);
    },
    dateTime: (date) => (date ? shortDateTime.format(date) : NONE),
    dateTimeFull: (date) => (date === null || date === undefined ? NONE : fullDateTime.format(date)),
    clock: (ms, withSeconds = true) => (withSeconds ? clockS : clockM).format(ms),
    logTime: (date) => logClock.format(date),
    metric(v) {
      if (v === null || v === undefined) return NONE;
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '−Inf';
      const a = Math.abs(v);
      // Exponents read the same everywhere; grouping digits would only hide precision here.
      if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
      return Number(v.toPrecision(4)).toString();
    },
    count: (v) => integer.format(v),
    compact: (v) => compactFmt.format(v),
    percent: (v, digits = 0) => (finite(v) ? `${fixed(v, digits)}%` : NONE),
    rate(bps) {
      if (!finite(bps)) return NONE;
      let v = bps;
      let i = 0;
      while (v >= 1024 && i < RATE_UNITS.length - 1) {
        v /= 1024;
        i++;
      }
      return `${fixed(v, v >= 100 || i === 0 ? 0 : 1)} ${RATE_UNITS[i]}`;
    },
    gib: (v) => (finite(v) ? `${fixed(v, v >= 100 ? 0 : 1)} GiB` : NONE),
    decimal: (v, digits) => (finite(v) ? fixed(v, digits) : NONE),
    measure: (v, symbol, digits = 0) => (finite(v) ? `${fixed(v, digits)} ${symbol}` : NONE),
    watts: (w) => (!finite(w) ? NONE : w >= 1000 ? `${fixed(w / 1000, 1)} kW` : `${fixed(w, 0)} W`),
    span(ms) {
      // The largest unit the span is a whole number of.
      const [u, size] = SPAN_UNITS.find(([, size]) => ms >= size && ms % size === 0) ?? SPAN_UNITS[SPAN_UNITS.length - 1]!;
      return unit(u).format(Math.round(ms / size));
    },
  };
}
