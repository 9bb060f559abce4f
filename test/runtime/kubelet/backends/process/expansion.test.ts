/** Cases after k/k third_party/forked/golang/expansion/expand_test.go (TestMapReference, TestMapping). */
import { describe, expect, it } from 'vitest';
import { expand, mappingFor } from '../../../../../runtime/kubelet/backends/process/expansion.ts';

const vars = { VAR_A: 'A', VAR_B: 'B', VAR_C: 'C', VAR_REF: '$(VAR_A)', VAR_EMPTY: '' };
const mapping = mappingFor(vars, { VAR_A: 'shadowed', SERVICE: 'svc' });

describe('expand', () => {
  it.each([
    ['whole string', '$(VAR_A)', 'A'],
    ['repeated', '$(VAR_A)-$(VAR_A)', 'A-A'],
    ['multiple', '$(VAR_A)-1$(VAR_B)-2', 'A-1B-2'],
    ['later maps', '$(SERVICE)', 'svc'],
    ['first map wins', '$(VAR_A)', 'A'],
    ['no recursion', '$(VAR_REF)', '$(VAR_A)'],
    ['empty value', 'foo$(VAR_EMPTY)bar', 'foobar'],
    ['escaped operator', '$$(VAR_A)', '$(VAR_A)'],
    ['escaped, then a reference', '$$$(VAR_A)', '$A'],
    ['unresolved kept', '$(VAR_DNE)', '$(VAR_DNE)'],
    ['unterminated', '$(VAR_A', '$(VAR_A'],
    ['trailing operator', 'foo$', 'foo$'],
    ['operator, not a reference', '$VAR_A', '$VAR_A'],
    ['empty name', '$()', '$()'],
    ['nested parens end at the first close', '$(VAR_A)(VAR_B))', 'A(VAR_B))'],
    ['no references', 'plain', 'plain'],
    ['dollar pairs', '$$$$', '$$'],
  ])('%s', (_name, input, want) => {
    expect(expand(input, mapping)).toBe(want);
  });
});
