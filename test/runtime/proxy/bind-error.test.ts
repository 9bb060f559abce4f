import { describe, expect, it } from 'vitest';
import { bindErrorMessage } from '../../../runtime/proxy/bind-error.ts';

describe('bindErrorMessage (Go net wording)', () => {
  const l = { address: '127.240.0.1', port: 80, protocol: 'TCP' as const };
  it.each([
    ['EADDRINUSE', 'listen tcp 127.240.0.1:80: bind: address already in use'],
    ['EACCES', 'listen tcp 127.240.0.1:80: bind: permission denied'],
    ['EADDRNOTAVAIL', 'listen tcp 127.240.0.1:80: bind: cannot assign requested address'],
  ])('%s', (code, message) => {
    expect(bindErrorMessage(l, Object.assign(new Error(code), { code }))).toBe(message);
  });
  it('UDP', () => {
    expect(bindErrorMessage({ ...l, protocol: 'UDP' }, Object.assign(new Error('x'), { code: 'EADDRINUSE' }))).toBe('listen udp 127.240.0.1:80: bind: address already in use');
  });
});
