import { describe, expect, it } from 'vitest';
import { FileError, KiteError } from '../lib/errors.ts';

describe('KiteError', () => {
  it('carries a code, the file and the object, and its class name', () => {
    class Refused extends KiteError {}
    const e = new Refused('no', { code: 'refused', path: 'a.json', object: 'prod/ReplicaSet/api' });
    expect(e).toBeInstanceOf(KiteError);
    expect(e).toMatchObject({ name: 'Refused', code: 'refused', path: 'a.json', object: 'prod/ReplicaSet/api', message: 'no' });
  });

  it('FileError says what could not be done to which file, and why in words', () => {
    const cause = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    const e = new FileError('save the plan to', '/no/dir/plan.json', cause);
    expect(e.message).toBe('cannot save the plan to /no/dir/plan.json: no such file or directory (ENOENT)');
    expect(e).toMatchObject({ code: 'file', path: '/no/dir/plan.json', cause });
    expect(new FileError('write', 'x', Object.assign(new Error('?'), { code: 'EWEIRD' })).message).toBe('cannot write x: EWEIRD');
  });
});
