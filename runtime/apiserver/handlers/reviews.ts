/** POST of a SelfSubjectAccessReview or SelfSubjectRulesReview: answered 201, never stored. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readObject } from '../http/request.ts';
import { sendJson } from '../http/response.ts';
import { answerReview, AUTHORIZATION_API_VERSION, type ReviewResource } from '../reviews.ts';
import { errors } from '../status.ts';

export async function serveReview(req: IncomingMessage, res: ServerResponse, method: string, review: ReviewResource): Promise<void> {
  if (method !== 'POST') throw errors.methodNotAllowed(method);
  const body = await readObject(req, `v1.${review.kind}`);
  if ((body.kind !== undefined && body.kind !== review.kind) || (body.apiVersion !== undefined && body.apiVersion !== AUTHORIZATION_API_VERSION)) {
    throw errors.badRequest(`${review.kind} in version "v1" cannot be handled as a ${review.kind}: expected ${AUTHORIZATION_API_VERSION} ${review.kind}, got ${String(body.apiVersion)} ${String(body.kind)}`);
  }
  sendJson(res, 201, answerReview(review, body));
}
