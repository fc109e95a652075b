import { describe, expect, it } from 'vitest';
import { createFormat } from './format';

const en = createFormat('en', { never: 'never' });
const zh = createFormat('zh-CN', { never: '从未' });
const now = Date.parse('2026-03-01T12:00:00Z');

describe('durations', () => {
  it('read as each language writes them', () => {
    expect(en.duration(3_725_000)).toBe('1h 02m');
    expect(zh.duration(3_725_000)).toBe('1小时2分钟');
    expect(en.duration(65_000)).toBe('1m 05s');
    expect(zh.duration(65_000)).toBe('1分钟5秒');
    expect(en.duration(2 * 86_400_000 + 3_600_000)).toBe('2d 1h');
    expect(zh.duration(2 * 86_400_000 + 3_600_000)).toBe('2天1小时');
    expect(zh.duration(null)).toBe('–');
  });
});

describe('relative times', () => {
  it('say how long ago, in the largest whole unit', () => {
    expect(zh.ago(new Date(now - 3 * 60_000 - 5000), now)).toBe('3分钟前');
    expect(en.ago(new Date(now - 3 * 60_000 - 5000), now)).toBe('3 minutes ago');
    expect(zh.ago(new Date(now - 2 * 3_600_000), now)).toBe('2小时前');
    expect(en.ago(new Date(now - 12_000), now)).toBe('12 seconds ago');
    expect(zh.ago(new Date(now - 12_000), now)).toBe('12秒前');
  });

  it('name the present and the never', () => {
    expect(en.ago(new Date(now - 500), now)).toBe('now');
    expect(zh.ago(new Date(now - 500), now)).toBe('现在');
    expect(zh.ago(null, now)).toBe('从未');
  });
});

describe('numbers and sizes', () => {
  it('group digits and shorten large counts for the locale', () => {
    expect(en.count(1_234_567)).toBe('1,234,567');
    expect(en.compact(120_000)).toBe('120K');
    expect(zh.compact(120_000)).toBe('12万');
  });

  it('keep binary units and percentages', () => {
    expect(zh.rate(1536)).toBe('1.5 KiB/s');
    expect(en.gib(123.4)).toBe('123 GiB');
    expect(zh.percent(12.345, 1)).toBe('12.3%');
  });

  it('write host measures with their units, power in kilowatts from a thousand watts', () => {
    expect(en.measure(1410, 'MHz')).toBe('1,410 MHz');
    expect(zh.measure(71.6, '°C')).toBe('72 °C');
    expect(en.measure(null, 'W')).toBe('–');
    expect(en.decimal(0.5, 2)).toBe('0.50');
    expect(en.watts(350.4)).toBe('350 W');
    expect(zh.watts(187_250)).toBe('187.3 kW');
  });

  it('show metric values with their non-finite names', () => {
    expect(zh.metric(0.123456)).toBe('0.1235');
    expect(zh.metric(Number.NaN)).toBe('NaN');
    expect(en.metric(-Infinity)).toBe('−Inf');
    expect(en.metric(1e-5)).toBe('1.00e-5');
  });
});

describe('time spans', () => {
  it('name a range preset in its largest whole unit', () => {
    expect(en.span(15 * 60_000)).toBe('15m');
    expect(en.span(7 * 86_400_000)).toBe('7d');
    expect(zh.span(24 * 3_600_000)).toBe('1天');
    expect(zh.span(6 * 3_600_000)).toBe('6小时');
    expect(zh.span(365 * 86_400_000)).toBe('1年');
  });
});

describe('dates and clocks', () => {
  it('are written the locale’s way, 24-hour', () => {
    const at = new Date(2026, 2, 1, 21, 5, 9, 42);
    expect(zh.dateTime(at)).toBe('3月1日 21:05');
    expect(zh.clock(at.getTime())).toBe('21:05:09');
    expect(en.logTime(at)).toBe('21:05:09.042');
  });
});
