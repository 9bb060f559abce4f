import { Construct } from 'constructs';
import type { StackPolicies } from '../policy/rule.ts';
import { checkProps } from './props.ts';

const STACK = Symbol.for('kite.Stack');

export interface StackProps {
  /** Labels added to every object of the stack. */
  labels?: Record<string, string>;
  /**
   * Stacks this one takes objects over from (splitting a stack: Terraform's `moved`): an object
   * this stack declares that is a member of one of them moves to this stack's inventory on
   * apply, never deleted or recreated. Same as `kite apply --adopt-from NAME`.
   */
  adoptFrom?: string[];
  /** Policy rules for every object of the stack, and how kite's best-practice rules apply. */
  policies?: StackPolicies;
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
  readonly adoptFrom: readonly string[];
  readonly policies: StackPolicies;

  constructor(name: string, props: StackProps = {}) {
    // A root construct: no scope. Its id is not part of children's paths, so we keep the name.
    super(undefined as unknown as Construct, '');
    Object.defineProperty(this, STACK, { value: true });
    this.name = name;
    this.labels = { ...props.labels };
    this.adoptFrom = [...(props.adoptFrom ?? [])];
    this.policies = { ...props.policies };
    checkProps(this, 'StackProps', props, { labels: 'free', adoptFrom: true, policies: { bestPractices: true, rules: true } });
  }

  /** The stack a construct belongs to. */
  static of(c: Construct): Stack {
    const root = c.node.root;
    if (!Stack.isStack(root)) throw new Error(`construct ${c.node.path} is not inside a Stack`);
    return root;
  }
}
