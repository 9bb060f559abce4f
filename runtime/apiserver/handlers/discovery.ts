/** Health, /version, API discovery (/api, /apis, group versions) and OpenAPI (v2 in JSON, v3). */
import type { ServerResponse } from 'node:http';
import { apiGroup, apiGroupList, apiResourceList, coreApiVersions, versionInfo } from '../discovery.ts';
import { sendJson, sendText } from '../http/response.ts';
import { serveOpenApi } from './openapi.ts';
import { errors } from '../status.ts';

/** Answers a GET of a fixed path (health, version, discovery roots, OpenAPI); false: not one of them. */
export function serveFixedPath(res: ServerResponse, path: string): boolean {
  if (path === '/version') sendJson(res, 200, versionInfo());
  else if (path === '/healthz' || path === '/livez' || path === '/readyz') sendText(res, 200, 'ok');
  else if (path === '/api') sendJson(res, 200, coreApiVersions());
  else if (path === '/apis') sendJson(res, 200, apiGroupList());
  else if (!serveOpenApi(res, path)) return false;
  return true;
}

/** `/apis/<group>` (APIGroup) or `/api/v1`, `/apis/<group>/<version>` (APIResourceList). */
export function serveDiscovery(res: ServerResponse, method: string, route: { discovery: string; group?: string }): void {
  if (method !== 'GET') throw errors.methodNotAllowed(method);
  const doc = route.group ? apiGroup(route.group) : apiResourceList(route.discovery);
  if (!doc) throw errors.notFoundPath();
  sendJson(res, 200, doc);
}
