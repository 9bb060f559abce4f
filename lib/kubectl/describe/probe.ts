/** DescribeProbe: a container probe on one line, with its handler and timings. */
import { joinHostPort } from '../../api/names.ts';
import type { Obj } from '../../api/kinds/fields.ts';
import { int, obj, str, strs } from './fields.ts';

/** intstr.String(). */
function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(Math.trunc(v)) : str(v);
}


/** url.PathEscape-ish escaping of a URL path, as url.URL.String() does (encodePath). */
function escapePath(p: string): string {
  let out = '';
  for (const b of Buffer.from(p)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c)) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** DescribeProbe: `http-get http://:8080/healthz delay=3s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(probe: Obj): string {
  const attrs = `delay=${int(probe.initialDelaySeconds)}s timeout=${int(probe.timeoutSeconds)}s period=${int(probe.periodSeconds)}s #success=${int(probe.successThreshold)} #failure=${int(probe.failureThreshold)}`;
  if (probe.exec) return `exec [${strs(obj(probe.exec).command).join(' ')}] ${attrs}`;
  if (probe.httpGet) {
    const h = obj(probe.httpGet);
    const scheme = str(h.scheme).toLowerCase();
    const port = intOrString(h.port);
    const host = port.length > 0 ? joinHostPort(str(h.host), port) : str(h.host);
    let path = str(h.path);
    if (path !== '' && !path.startsWith('/') && host !== '') path = '/' + path;
    const url = `${scheme ? `${scheme}:` : ''}${scheme || host ? '//' : ''}${host}${escapePath(path)}`;
    return `http-get ${url} ${attrs}`;
  }
  if (probe.tcpSocket) {
    const t = obj(probe.tcpSocket);
    return `tcp-socket ${str(t.host)}:${intOrString(t.port)} ${attrs}`;
  }
  if (probe.grpc) {
    const g = obj(probe.grpc);
    return `grpc <pod>:${int(g.port)} ${str(g.service)} ${attrs}`;
  }
  return `unknown ${attrs}`;
}
