/**
 * Deployment apps/v1: the schema and ValidateDeployment / ValidateDeploymentSpec /
 * ValidateDeploymentStrategy / ValidateRollingUpdateDeployment from k/k
 * pkg/apis/apps/validation/validation.go (messages as Kubernetes words them). The template rules
 * are the ReplicaSet's (upstream calls ValidatePodTemplateSpecForReplicaSet for Deployments too).
 */
import { z } from 'zod';
import { clusterWritten, type Condition } from './status.ts';
import { ObjectMetaSchema } from '../meta.ts';
import { asInt, asObj, asStr, checkNonNegative, forbidden, invalid, isSet, looseEnum, notSupported, zBool, zInt, zIntOrString, type IntOrString, type Obj, type Out } from './fields.ts';
import { PodTemplateSpecSchema } from './pod.ts';
import { LabelSelectorSchema, validateReplicaSet } from './replicaset.ts';

export const DeploymentStrategyTypes = ['Recreate', 'RollingUpdate'] as const;
export type DeploymentStrategyType = (typeof DeploymentStrategyTypes)[number];

export const RollingUpdateDeploymentSchema = z.strictObject({
  maxUnavailable: zIntOrString.optional(),
  maxSurge: zIntOrString.optional(),
});

export const DeploymentStrategySchema = z.strictObject({
  type: looseEnum(DeploymentStrategyTypes).optional(),
  rollingUpdate: RollingUpdateDeploymentSchema.optional(),
});

export const DeploymentSpecSchema = z.strictObject({
  replicas: zInt.optional(),
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema,
  strategy: DeploymentStrategySchema.optional(),
  minReadySeconds: zInt.optional(),
  revisionHistoryLimit: zInt.optional(),
  paused: zBool.optional(),
  progressDeadlineSeconds: zInt.optional(),
});

export type DeploymentConditionType = 'Available' | 'Progressing' | 'ReplicaFailure' | (string & {});
export type DeploymentCondition = Condition<DeploymentConditionType>;

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export const DeploymentSchema = z.strictObject({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: ObjectMetaSchema,
  spec: DeploymentSpecSchema,
  status: clusterWritten<DeploymentStatus>().optional(),
});

export type DeploymentSpec = z.output<typeof DeploymentSpecSchema>;
export type DeploymentSpecInput = z.input<typeof DeploymentSpecSchema>;
export type DeploymentStrategy = z.output<typeof DeploymentStrategySchema>;
export type Deployment = z.output<typeof DeploymentSchema>;
export type DeploymentInput = z.input<typeof DeploymentSchema>;

/** ValidatePositiveIntOrPercent */
function validatePositiveIntOrPercent(out: Out, path: string, v: unknown): void {
  if (typeof v === 'string') {
    if (!/^[0-9]+%$/.test(v)) invalid(out, path, v, "must be an integer or percentage (e.g '5%')");
  } else checkNonNegative(out, path, v);
}

/** getIntOrPercentValue: the number of an int, or of a percentage. */
function intOrPercentValue(v: IntOrString | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return undefined;
}

/** ValidateRollingUpdateDeployment */
function validateRollingUpdate(out: Out, path: string, ru: Obj): void {
  const mu = ru.maxUnavailable as IntOrString | undefined;
  const ms = ru.maxSurge as IntOrString | undefined;
  if (mu !== undefined) validatePositiveIntOrPercent(out, `${path}.maxUnavailable`, mu);
  if (ms !== undefined) validatePositiveIntOrPercent(out, `${path}.maxSurge`, ms);
  if (intOrPercentValue(mu) === 0 && intOrPercentValue(ms) === 0) {
    invalid(out, `${path}.maxUnavailable`, mu, 'may not be 0 when `maxSurge` is 0');
  }
  if (typeof mu === 'string' && (intOrPercentValue(mu) ?? 0) > 100) invalid(out, `${path}.maxUnavailable`, mu, 'must not be greater than 100%');
}

/** ValidateDeploymentStrategy (on the defaulted spec: the type is set). */
function validateStrategy(out: Out, path: string, strategy: Obj): void {
  const type = asStr(strategy.type) ?? 'RollingUpdate'; // SetDefaults_Deployment
  const ru = asObj(strategy.rollingUpdate);
  if (type === 'Recreate') {
    if (isSet(strategy.rollingUpdate)) forbidden(out, `${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'");
  } else if (type === 'RollingUpdate') {
    if (ru) validateRollingUpdate(out, `${path}.rollingUpdate`, ru);
  } else {
    notSupported(out, `${path}.type`, type, DeploymentStrategyTypes);
  }
}

/** ValidateDeployment (create): the spec rules beside the ReplicaSet-shared selector and template rules. */
export function validateDeployment(out: Out, raw: Obj): void {
  // The selector, template and replicas rules are ValidateReplicaSetSpec's, word for word.
  validateReplicaSet(out, raw);
  const spec = asObj(raw.spec);
  if (!spec) return;
  const strategy = asObj(spec.strategy);
  if (strategy) validateStrategy(out, 'spec.strategy', strategy);
  checkNonNegative(out, 'spec.revisionHistoryLimit', spec.revisionHistoryLimit);
  const deadline = asInt(spec.progressDeadlineSeconds);
  if (deadline !== undefined) {
    checkNonNegative(out, 'spec.progressDeadlineSeconds', deadline);
    const minReady = asInt(spec.minReadySeconds) ?? 0;
    if (deadline <= minReady) invalid(out, 'spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds');
  }
}
