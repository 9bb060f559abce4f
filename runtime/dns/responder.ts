/**
 * One DNS message in, one out: the cluster zone's answer, or the upstream's for names outside
 * it. Encoded answers are kept by the query's bytes after the ID (flags, question, EDNS record:
 * everything the answer depends on) and re-sent with the ID patched — encoding is most of the
 * cost of an answer — until the zone changes (setZone drops them all).
 */
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { NOT_IN_ZONE, type ClusterZone, type ZoneAnswer } from './records.ts';
import type { Upstream } from './upstream.ts';

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
type RcodeName = keyof typeof RCODE;
/** Header bits (RFC 1035 4.1.1). */
const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;
/** Without EDNS a UDP answer is at most 512 bytes (RFC 1035 4.2.1). */
export const UDP_PLAIN_LIMIT = 512;
/** What we advertise and honour at most with EDNS (the DNS flag day 2020 size, CoreDNS's default). */
const EDNS_LIMIT = 1232;
const CACHE_MAX = 20_000;

export class DnsResponder {
  private zone: ClusterZone | undefined;
  /** Encoded answers by the query after its ID (latin1). */
  private cache = new Map<string, Buffer>();

  constructor(
    private readonly upstream: Upstream,
    /** The zone's apex (for SERVFAIL before the first sync: those names must not go upstream). */
    private readonly zoneName: string,
  ) {}

  /** Swaps in a newly built zone; answers from the old one are dropped. */
  setZone(zone: ClusterZone): void {
    this.zone = zone;
    this.cache = new Map();
  }

  /** The answer to `query`, whole; UDP callers pass it through truncateForUdp. `tcp`: the query came over TCP. */
  respond(query: Buffer, tcp = false): Buffer | Promise<Buffer> {
    // Too short to answer, or itself an answer (QR set): answering answers could loop two servers.
    if (query.length < 12 || query[2]! & 0x80) return Buffer.alloc(0);
    const key = query.toString('latin1', 2);
    const hit = this.cache.get(key);
    if (hit) {
      const out = Buffer.allocUnsafe(hit.length);
      hit.copy(out);
      out[0] = query[0]!;
      out[1] = query[1]!;
      return out;
    }
    let decoded: DecodedPacket;
    try {
      decoded = packet.decode(query);
    } catch {
      return errorReply(query, 'FORMERR');
    }
    const q = decoded.questions?.[0];
    if ((decoded.flags ?? 0) & 0x7800 || !q || decoded.questions!.length !== 1) return errorReply(query, q ? 'NOTIMP' : 'FORMERR');
    const zone = this.zone;
    const inZone = isUnder(q.name, this.zoneName);
    if (!zone) return inZone ? reply(decoded, { rcode: 'SERVFAIL', answers: [], authorities: [], additionals: [] }) : this.forward(query, tcp);
    const answer = zone.answer(q.name, q.type);
    if (answer === NOT_IN_ZONE) return this.forward(query, tcp);
    if (answer.chase) return this.chase(decoded, answer);
    const out = reply(decoded, answer);
    if (this.zone === zone) {
      if (this.cache.size >= CACHE_MAX) this.cache = new Map();
      this.cache.set(key, out);
    }
    return out;
  }

  private async forward(query: Buffer, tcp: boolean): Promise<Buffer> {
    return (await this.upstream.forward(query, { tcp })) ?? errorReply(query, 'SERVFAIL');
  }

  /** ExternalName: the CNAME, then the target's addresses as the upstream gives them (not kept: they are the upstream's). */
  private async chase(query: DecodedPacket, answer: ZoneAnswer): Promise<Buffer> {
    const type = query.questions![0]!.type;
    const ask = packet.encode({ type: 'query', id: query.id ?? 0, flags: RD, questions: [{ type, class: 'IN', name: answer.chase! }] });
    const raw = await this.upstream.forward(ask);
    let extra: Answer[] = [];
    if (raw) {
      try {
        extra = (packet.decode(raw).answers ?? []).filter((a) => a.type === type || a.type === 'CNAME');
      } catch {
        extra = [];
      }
    }
    return reply(query, { ...answer, answers: [...answer.answers, ...extra] });
  }
}

function isUnder(name: string, zone: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === zone || n.endsWith(`.${zone}`);
}

function reply(query: DecodedPacket, a: ZoneAnswer): Buffer {
  const edns = query.additionals?.some((r) => r.type === 'OPT');
  const p: Packet = {
    type: 'response',
    id: query.id ?? 0,
    flags: AA | RA | ((query.flags ?? 0) & RD) | RCODE[a.rcode],
    questions: query.questions ?? [],
    answers: a.answers,
    authorities: a.authorities,
    additionals: edns ? [...a.additionals, { type: 'OPT', name: '.', udpPayloadSize: EDNS_LIMIT, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } satisfies Answer] : a.additionals,
  };
  return packet.encode(p);
}

/** An answer with no records: the query's header and question, QR and the rcode set. */
function errorReply(query: Buffer, rcode: RcodeName): Buffer {
  const end = questionEnd(query) ?? 12;
  const out = Buffer.from(query.subarray(0, end));
  out.writeUInt16BE(QR | RA | (query.readUInt16BE(2) & RD) | RCODE[rcode], 2);
  out.writeUInt16BE(end > 12 ? 1 : 0, 4);
  out.fill(0, 6, 12);
  return out;
}

/**
 * What fits in a UDP datagram for this query: the answer as is, else (RFC 1035 4.2.1, RFC 2181
 * 9) the header and question alone with TC set, so the client asks again over TCP.
 */
export function truncateForUdp(query: Buffer, answer: Buffer): Buffer {
  if (answer.length <= udpLimit(query)) return answer;
  const end = questionEnd(answer) ?? 12;
  const out = Buffer.from(answer.subarray(0, end));
  out.writeUInt16BE(out.readUInt16BE(2) | TC, 2);
  out.fill(0, 6, 12);
  return out;
}

/** 512 bytes, or the EDNS size the client advertised (at most ours). */
function udpLimit(query: Buffer): number {
  if (query.length < 12 || query.readUInt16BE(10) === 0) return UDP_PLAIN_LIMIT;
  const end = questionEnd(query);
  // An OPT record as the only additional right after the question: root name (0), type 41, then the size.
  if (end !== undefined && query.length >= end + 5 && query[end] === 0 && query.readUInt16BE(end + 1) === 41) {
    return Math.min(EDNS_LIMIT, Math.max(UDP_PLAIN_LIMIT, query.readUInt16BE(end + 3)));
  }
  return UDP_PLAIN_LIMIT;
}

/** The offset after the first question (one question: what every resolver sends). */
function questionEnd(msg: Buffer): number | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) === 0) return undefined;
  let i = 12;
  while (i < msg.length) {
    const len = msg[i]!;
    if (len === 0) return i + 5 <= msg.length ? i + 5 : undefined;
    if ((len & 0xc0) === 0xc0) return i + 6 <= msg.length ? i + 6 : undefined;
    i += len + 1;
  }
  return undefined;
}
