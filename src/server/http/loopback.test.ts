import { describe, expect, it } from 'vitest';
import { createHostPolicy } from './hostPolicy';
import { isLoopback } from './loopback';

describe('loopback', () => {
  it('knows loopback names and addresses, IPv4-mapped ones included', () => {
    for (const host of ['localhost', 'LOCALHOST.', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '::ffff:10.0.0.1', 'localhost.evil.example', 'evil-localhost', '128.0.0.1'])
      expect(isLoopback(host), host).toBe(false);
  });

  it('the Host allow-list takes loopback on any port and ALLOWED_HOSTS by name or name:port', () => {
    const allowed = createHostPolicy(['monitor.lan', 'box.lan:8000']);
    for (const host of ['127.0.0.1:8000', 'localhost', '[::1]:1', 'monitor.lan:1234', 'MONITOR.LAN', 'box.lan:8000', undefined])
      expect(allowed(host), String(host)).toBe(true);
    for (const host of ['rebind.evil.example:8000', 'box.lan:9000', 'box.lan', '127.0.0.1.evil.example', 'a@127.0.0.1', ''])
      expect(allowed(host), host).toBe(false);
  });
});
