/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview and SelfSubjectRulesReview: create-only
 * resources answered at once and never stored (k/k pkg/registry/authorization/
 * selfsubjectaccessreview and selfsubjectrulesreview). The runtime's one user may do
 * everything (as `system:masters` on a real cluster), so every access review is allowed and the
 * rules review lists `*` rules; `kubectl auth can-i` and scripts gating on it see that.
 */
import { asObj } from '../../lib/api/kinds/fields.ts';
import { ApiError } from './status.ts';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHORIZATION_VERSION = 'v1';
export const AUTHORIZATION_API_VERSION = `${AUTHORIZATION_GROUP}/${AUTHORIZATION_VERSION}`;

type Review = Record<string, unknown> & { spec: Record<string, unknown> };

export interface ReviewResource {
  resource: string;
  kind: string;
  answer(review: Review): Record<string, unknown>;
}

const REVIEWS: readonly ReviewResource[] = [
  {
    resource: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
    answer(review) {
      const { resourceAttributes, nonResourceAttributes } = review.spec;
      // ValidateSelfSubjectAccessReviewSpec
      const field = resourceAttributes && nonResourceAttributes ? 'nonResourceAttributes' : !resourceAttributes && !nonResourceAttributes ? 'resourceAttributes' : undefined;
      if (field) {
        const message =
          field === 'nonResourceAttributes'
            ? `Invalid value: ${goNonResourceAttributes(nonResourceAttributes)}: cannot be specified in combination with resourceAttributes`
            : 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified';
        throw new ApiError(422, 'Invalid', `SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.${field}: ${message}`, {
          group: AUTHORIZATION_GROUP,
          kind: 'SelfSubjectAccessReview',
          causes: [{ reason: 'FieldValueInvalid', message, field: `spec.${field}` }],
        });
      }
      return { allowed: true };
    },
  },
  {
    resource: 'selfsubjectrulesreviews',
    kind: 'SelfSubjectRulesReview',
    answer: () => ({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    }),
  },
];

/** The value as field.Error prints a struct (`%#v` of the dereferenced pointer). */
function goNonResourceAttributes(v: unknown): string {
  const o = asObj(v) ?? {};
  const str = (x: unknown) => JSON.stringify(typeof x === 'string' ? x : '');
  return `authorization.NonResourceAttributes{Path:${str(o.path)}, Verb:${str(o.verb)}}`;
}

/** The review resource at `/apis/authorization.k8s.io/v1/<resource>`, if that is the path. */
export function reviewAt(path: string): ReviewResource | undefined {
  const prefix = `/apis/${AUTHORIZATION_API_VERSION}/`;
  if (!path.startsWith(prefix)) return undefined;
  return REVIEWS.find((r) => r.resource === path.slice(prefix.length));
}

/** Their APIResourceList entries, as Kubernetes lists them. */
export function reviewDiscovery(): Record<string, unknown>[] {
  return REVIEWS.map((r) => ({ name: r.resource, singularName: r.kind.toLowerCase(), namespaced: false, kind: r.kind, verbs: ['create'] }));
}

/** The created review: the request's spec with the answer as its status. */
export function answerReview(r: ReviewResource, body: Record<string, unknown>): Record<string, unknown> {
  const review: Review = { ...body, spec: asObj(body.spec) ?? {} };
  const status = r.answer(review);
  return { kind: r.kind, apiVersion: AUTHORIZATION_API_VERSION, metadata: { creationTimestamp: null, ...asObj(body.metadata) }, spec: review.spec, status };
}
