import { Construct } from 'constructs';
import { checkProps } from './props.ts';

const STACK = Symbol.for('kite.Stack');

export interface StackProps {
  /** Labels added to every object of the stack. */
  labels?: Record<string, string>;
}

/**
 * The unit of synth and of plan/apply: a root construct whose objects are applied, diffed
 * and pruned together. A program exports one or more stacks.
 */
export class Stack extends Construct {
  static isStack(x: unknown): x is Stack {
    return typeof x === 'object' && x !== null && STACK in x;
  }

  readonly name: string;
  readonly labels: Record<string, string>;

  constructor(name: string, props: StackProps = {}) {
    // A root construct: no scope. Its id is not part of children's paths, so we keep the name.
    super(undefined as unknown as Construct, '');
    Object.defineProperty(this, STACK, { value: true });
    this.name = name;
    this.labels = { ...props.labels };
    checkProps(this, 'StackProps', props, { labels: 'free' });
  }

  /** The stack a construct belongs to. */
  static of(c: Construct): Stack {
    const root = c.node.root;
    if (!Stack.isStack(root)) throw new Error(`construct ${c.node.path} is not inside a Stack`);
    return root;
  }
}
