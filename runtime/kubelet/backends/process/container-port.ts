/**
 * A probe's or hook's port: a number, or the name of one of the container's ports, or a number
 * written as a string (k/k pkg/probe/util.go ResolveContainerPort, whose error texts these are).
 */
import type { Container } from '../../../../lib/api/model.ts';
import type { IntOrString } from '../../../../lib/api/kinds/fields.ts';

export type PortResolution = { ok: true; port: number } | { ok: false; error: string };

export function resolveContainerPort(param: IntOrString, c: Container): PortResolution {
  let port: number;
  if (typeof param === 'number') port = param;
  else {
    const named = c.ports?.find((p) => p.name === param);
    if (named) port = named.containerPort;
    // The last resort upstream: maybe it was an int stored as a string (strconv.Atoi).
    else if (/^[+-]?\d+$/.test(param)) port = Number(param);
    else return { ok: false, error: `strconv.Atoi: parsing ${JSON.stringify(param)}: invalid syntax` };
  }
  if (port > 0 && port < 65536) return { ok: true, port };
  return { ok: false, error: `invalid port number: ${port}` };
}
