/**
 * `/openapi/v3` and its group-version documents, generated once per process (they are large)
 * and named by a hash of their content, as kube-apiserver names them, so kubectl's cache keeps
 * a document until it changes.
 */
import { createHash } from 'node:crypto';
import { KUBERNETES_VERSION } from '../discovery.ts';
import { groupVersions } from '../resources.ts';
import { openApiDocument } from './document.ts';

export interface CachedDocument {
  body: string;
  /** sha512 of the body, upper-case hex: the `hash` of its serverRelativeURL and its ETag. */
  hash: string;
}

const documents = new Map<string, CachedDocument>();

function cached(apiVersion: string): CachedDocument {
  let doc = documents.get(apiVersion);
  if (!doc) {
    const body = JSON.stringify(openApiDocument(apiVersion, KUBERNETES_VERSION.gitVersion));
    doc = { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
    documents.set(apiVersion, doc);
  }
  return doc;
}

/** The document at `/openapi/v3/<gvPath>` (`api/v1`, `apis/apps/v1`), or undefined if not served. */
export function openApiV3(gvPath: string): CachedDocument | undefined {
  const gv = groupVersions().find((g) => (g.group ? `apis/${g.apiVersion}` : `api/${g.apiVersion}`) === gvPath);
  return gv && cached(gv.apiVersion);
}

/** `/openapi/v3`: each served group version's document by its content-addressed URL. */
export function openApiV3Root(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    const p = gv.group ? `apis/${gv.apiVersion}` : `api/${gv.apiVersion}`;
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${cached(gv.apiVersion).hash}` };
  }
  return { paths };
}
