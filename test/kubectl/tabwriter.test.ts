// Go's text/tabwriter as kubectl uses it (the expectations are what Go's tabwriter writes).
import { describe, expect, it } from 'vitest';
import { DESCRIBE_TABWRITER, TabBuffer, TABLE_TABWRITER, tabwrite } from '../../lib/kubectl/tabwriter.ts';

describe('tabwrite (Go text/tabwriter)', () => {
  it('pads every column to its widest cell plus padding, at least minwidth; the last cell is not padded', () => {
    expect(tabwrite('NAME\tAGE\na\t1s\n', TABLE_TABWRITER)).toBe('NAME   AGE\na      1s\n');
    // minwidth 6: a 2-letter column is still 6 wide
    expect(tabwrite('ID\tX\nab\ty\n', TABLE_TABWRITER)).toBe('ID    X\nab    y\n');
  });

  it('aligns a column only over consecutive lines having it (column blocks), as describe relies on', () => {
    const text = 'Name:\tx\nLabels:\ta=b\n\tc=d\nContainers:\n  web:\n    Image:\tnginx\n';
    expect(tabwrite(text, DESCRIBE_TABWRITER)).toBe('Name:    x\nLabels:  a=b\n         c=d\nContainers:\n  web:\n    Image:  nginx\n');
    // a shorter line ends the block of the columns it lacks
    expect(tabwrite('a\tb\tc\naa\tb\naaa\tbbbb\tc\n', { minwidth: 0, padding: 1 })).toBe('a   b c\naa  b\naaa bbbb c\n');
  });

  it('counts characters, not bytes, and pads empty cells', () => {
    expect(tabwrite('é\tx\n\ty\n', { minwidth: 0, padding: 2 })).toBe('é  x\n   y\n');
  });

  it('leaves text after the last tab unpadded and a last line without newline as it is', () => {
    expect(tabwrite('a\tbb\tc\nlonger\tb\tc', { minwidth: 0, padding: 1 })).toBe('a      bb c\nlonger b  c');
    expect(tabwrite('no tabs\n', TABLE_TABWRITER)).toBe('no tabs\n');
    expect(tabwrite('', TABLE_TABWRITER)).toBe('');
  });

  it('aligns what was written before a flush on its own (TabBuffer, as describe flushes before Events)', () => {
    const b = new TabBuffer(DESCRIBE_TABWRITER);
    b.write('Name:\tx\n');
    b.flush();
    b.write('A longer name:\ty\n');
    expect(b.toString()).toBe('Name:  x\nA longer name:  y\n');
  });
});
