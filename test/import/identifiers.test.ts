import { describe, expect, it } from 'vitest';
import { IdentifierPool, camelCase, propertyKey, quote } from '../../lib/import/identifiers.ts';

describe('identifiers from Kubernetes names', () => {
  it('camel-cases names and makes them valid identifiers', () => {
    expect(camelCase('node-js')).toBe('nodeJs');
    expect(camelCase('my.db-v2')).toBe('myDbV2');
    expect(camelCase('9lives')).toBe('_9lives');
    expect(camelCase('---')).toBe('x');
  });

  it('hands out each identifier once, never a reserved word or an imported name', () => {
    const ids = new IdentifierPool();
    expect([ids.take('web'), ids.take('web'), ids.take('default'), ids.take('stack'), ids.take('Service'), ids.take('service')]).toEqual([
      'web', 'web2', 'default2', 'stack2', 'service', 'service2',
    ]);
  });

  it('quotes keys only when needed', () => {
    expect(propertyKey('app')).toBe('app');
    expect(propertyKey('app.kubernetes.io/name')).toBe("'app.kubernetes.io/name'");
    expect(quote("it's \"x\"\n")).toBe("'it\\'s \"x\"\\n'");
  });
});
